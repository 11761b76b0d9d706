// export_insights -- params: namespace -- returns: insight columns, embedding
// For export: the caller sorts the rows (databases return them in no fixed order).
MATCH (i:Insight)
WHERE i.namespace = $namespace
RETURN i.id AS id, i.namespace AS namespace, i.kind AS kind, i.text AS text, i.score AS score,
  i.created_at AS created_at, i.stale AS stale, i.utility AS utility, i.embedding AS embedding
