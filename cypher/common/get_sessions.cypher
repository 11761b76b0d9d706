// get_sessions -- params: uids -- returns: session columns
UNWIND $uids AS u
MATCH (s:Session {uid: u})
RETURN s.id AS id, s.namespace AS namespace, s.title AS title, s.goal AS goal, s.started_at AS started_at,
  s.outcome AS outcome, s.score AS score
