// find_entities_by_alias -- params: namespace, keys -- returns: match_key + entity columns
// Exact keys are primary-key look-ups (entity ids derive from keys); aliases need this scan.
UNWIND $keys AS k
MATCH (n:Entity)
WHERE n.namespace = $namespace AND list_contains(n.alias_keys, k)
RETURN k AS match_key, n.id AS id, n.namespace AS namespace, n.name AS name, n.key AS key, n.type AS type, n.aliases AS aliases,
  n.summary AS summary, n.mention_count AS mention_count, n.first_seen AS first_seen, n.last_seen AS last_seen
