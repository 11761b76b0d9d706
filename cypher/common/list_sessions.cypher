// list_sessions -- params: namespace, skip, limit -- returns: session columns
MATCH (s:Session)
WHERE s.namespace = $namespace
RETURN s.id AS id, s.namespace AS namespace, s.title AS title, s.goal AS goal, s.started_at AS started_at,
  s.outcome AS outcome, s.score AS score
ORDER BY s.started_at, s.id
SKIP $skip LIMIT $limit
