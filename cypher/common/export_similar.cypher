// export_similar -- params: namespace -- returns: a_id, b_id, score
// For export: the caller sorts the rows (databases return them in no fixed order).
MATCH (a:Entity)-[r:SIMILAR]->(b:Entity)
WHERE a.namespace = $namespace
RETURN a.id AS a_id, b.id AS b_id, r.score AS score
