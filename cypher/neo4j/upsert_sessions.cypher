// upsert_sessions -- params: rows[{uid,id,namespace,title,goal,started_at,outcome,score,embedding}]
// A session is created once; later writes may only fill in its title, goal (with its embedding),
// outcome and score. Replacing the embedding updates the vector index in the same transaction.
UNWIND $rows AS row
MERGE (s:Session {uid: row.uid})
ON CREATE SET s.id = row.id, s.namespace = row.namespace, s.title = row.title, s.goal = row.goal,
  s.started_at = row.started_at, s.outcome = row.outcome, s.score = row.score, s.embedding = row.embedding
ON MATCH SET s.title = CASE WHEN row.title = '' THEN s.title ELSE row.title END,
  s.goal = CASE WHEN row.goal = '' THEN s.goal ELSE row.goal END,
  s.outcome = CASE WHEN row.outcome = '' THEN s.outcome ELSE row.outcome END,
  s.score = coalesce(row.score, s.score),
  s.embedding = coalesce(row.embedding, s.embedding)
