// get_episodes -- params: uids -- returns: episode columns
UNWIND $uids AS u
MATCH (e:Episode {uid: u})
RETURN e.id AS id, e.namespace AS namespace, e.session_id AS session_id, e.seq AS seq, e.speaker AS speaker,
  e.role AS role, e.content AS content, e.occurred_at AS occurred_at, e.ingested_at AS ingested_at,
  e.source AS source, e.metadata AS metadata
