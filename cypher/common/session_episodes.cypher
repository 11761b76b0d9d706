// session_episodes -- params: session_uid, skip, limit -- returns: episode columns in session order
MATCH (e:Episode)-[:IN_SESSION]->(s:Session {uid: $session_uid})
RETURN e.id AS id, e.namespace AS namespace, e.session_id AS session_id, e.seq AS seq, e.speaker AS speaker,
  e.role AS role, e.content AS content, e.occurred_at AS occurred_at, e.ingested_at AS ingested_at,
  e.source AS source, e.metadata AS metadata
ORDER BY e.seq
SKIP $skip LIMIT $limit
