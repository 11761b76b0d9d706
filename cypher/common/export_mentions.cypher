// export_mentions -- params: namespace -- returns: episode_id, entity_id
// For export: the caller sorts the rows (databases return them in no fixed order).
MATCH (e:Episode)-[:MENTIONS]->(n:Entity)
WHERE e.namespace = $namespace
RETURN e.id AS episode_id, n.id AS entity_id
