// export_entities -- params: namespace -- returns: entity columns, embedding
// For export: the caller sorts the rows (databases return them in no fixed order).
MATCH (n:Entity)
WHERE n.namespace = $namespace
RETURN n.id AS id, n.namespace AS namespace, n.name AS name, n.key AS key, n.type AS type, n.aliases AS aliases,
  n.summary AS summary, n.mention_count AS mention_count, n.first_seen AS first_seen, n.last_seen AS last_seen,
  n.embedding AS embedding
