// graph_derived_from -- params: namespace -- returns: target_id, insight_id
// Loads one namespace's DERIVED_FROM edges into the derived graph index.
MATCH (i:Insight)-[:DERIVED_FROM]->(t)
WHERE i.namespace = $namespace
RETURN t.id AS target_id, i.id AS insight_id
