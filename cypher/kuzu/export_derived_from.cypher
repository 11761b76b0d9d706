// export_derived_from -- params: namespace -- returns: insight_id, target_id, target_kind
// For export: the caller sorts the rows (databases return them in no fixed order).
MATCH (i:Insight)-[:DERIVED_FROM]->(t)
WHERE i.namespace = $namespace
RETURN i.id AS insight_id, t.id AS target_id, label(t) AS target_kind
