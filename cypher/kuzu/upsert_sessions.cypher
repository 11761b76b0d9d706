// upsert_sessions -- params: rows[{uid,id,namespace,title,goal,started_at,outcome,score,embedding}]
// A session is created once; later writes may only fill in its title, goal (with its embedding) and outcome.
UNWIND $rows AS row
MERGE (s:Session {uid: row.uid})
ON CREATE SET s.id = row.id, s.namespace = row.namespace, s.title = row.title, s.goal = row.goal,
  s.started_at = row.started_at, s.outcome = row.outcome, s.score = CAST(row.score AS DOUBLE), s.embedding = CAST(row.embedding AS FLOAT[])
ON MATCH SET s.title = CASE WHEN row.title = '' THEN s.title ELSE row.title END,
  s.goal = CASE WHEN row.goal = '' THEN s.goal ELSE row.goal END,
  s.outcome = CASE WHEN row.outcome = '' THEN s.outcome ELSE row.outcome END,
  s.score = coalesce(CAST(row.score AS DOUBLE), s.score),
  s.embedding = coalesce(CAST(row.embedding AS FLOAT[]), s.embedding)
