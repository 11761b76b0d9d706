// last_episode -- params: session_uid -- returns: episode columns of the highest seq
MATCH (e:Episode)-[:IN_SESSION]->(s:Session {uid: $session_uid})
RETURN e.id AS id, e.namespace AS namespace, e.session_id AS session_id, e.seq AS seq, e.speaker AS speaker,
  e.role AS role, e.content AS content, e.occurred_at AS occurred_at, e.ingested_at AS ingested_at,
  e.source AS source, e.metadata AS metadata
ORDER BY e.seq DESC
LIMIT 1
