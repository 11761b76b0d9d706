// export_next_links -- params: namespace -- returns: prev_id, next_id
// For export: the caller sorts the rows (databases return them in no fixed order).
MATCH (a:Episode)-[:NEXT]->(b:Episode)
WHERE a.namespace = $namespace
RETURN a.id AS prev_id, b.id AS next_id
