// graph_evidence -- params: namespace -- returns: fact_id, episode_id
// Loads one namespace's EVIDENCED_BY edges into the derived graph index.
MATCH (f:Fact)-[:EVIDENCED_BY]->(e:Episode)
WHERE f.namespace = $namespace
RETURN f.id AS fact_id, e.id AS episode_id
