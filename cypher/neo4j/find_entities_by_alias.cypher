// find_entities_by_alias -- params: namespace, keys -- returns: match_key + entity columns
// Exact keys are uniqueness-constraint look-ups (entity ids derive from keys); aliases need this
// scan, narrowed to one namespace by the Entity.namespace index.
UNWIND $keys AS k
MATCH (n:Entity)
WHERE n.namespace = $namespace AND k IN n.alias_keys
RETURN k AS match_key, n.id AS id, n.namespace AS namespace, n.name AS name, n.key AS key, n.type AS type, n.aliases AS aliases,
  n.summary AS summary, n.mention_count AS mention_count, n.first_seen AS first_seen, n.last_seen AS last_seen
