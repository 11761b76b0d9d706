// export_sessions -- params: namespace -- returns: session columns, embedding
// For export: the caller sorts the rows (databases return them in no fixed order).
MATCH (s:Session)
WHERE s.namespace = $namespace
RETURN s.id AS id, s.namespace AS namespace, s.title AS title, s.goal AS goal, s.started_at AS started_at,
  s.outcome AS outcome, s.score AS score, s.embedding AS embedding
