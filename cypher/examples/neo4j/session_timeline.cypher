// session_timeline -- the episodes of one session in conversation order, with the next turn via NEXT -- params: namespace, session
MATCH (ep:Episode)-[:IN_SESSION]->(s:Session)
WHERE s.namespace = $namespace AND s.id = $session
OPTIONAL MATCH (ep)-[:NEXT]->(nxt:Episode)
RETURN ep.seq AS seq, ep.occurred_at AS at, ep.speaker AS speaker, ep.role AS role, ep.content AS content,
  nxt.id AS next_episode
ORDER BY seq
