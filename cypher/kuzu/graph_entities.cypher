// graph_entities -- params: namespace -- returns: entity columns
// Loads one namespace's entities (without embeddings) into the derived graph index.
MATCH (n:Entity)
WHERE n.namespace = $namespace
RETURN n.id AS id, n.namespace AS namespace, n.name AS name, n.key AS key, n.type AS type, n.aliases AS aliases,
  n.summary AS summary, n.mention_count AS mention_count, n.first_seen AS first_seen, n.last_seen AS last_seen
