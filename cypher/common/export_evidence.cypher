// export_evidence -- params: namespace -- returns: fact_id, episode_id
// For export: the caller sorts the rows (databases return them in no fixed order).
MATCH (f:Fact)-[:EVIDENCED_BY]->(e:Episode)
WHERE f.namespace = $namespace
RETURN f.id AS fact_id, e.id AS episode_id
