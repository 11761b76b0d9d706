// create_episodes -- params: rows[{uid,id,namespace,session_uid,session_id,seq,speaker,role,content,search_text,occurred_at,ingested_at,source,metadata,embedding}] -- returns: written (rows whose endpoints exist; the store fails the batch when short)
// Episodes are immutable: created with their session link in the same statement.
UNWIND $rows AS row
MATCH (s:Session {uid: row.session_uid})
CREATE (e:Episode {uid: row.uid, id: row.id, namespace: row.namespace, session_id: row.session_id,
  seq: row.seq, speaker: row.speaker, role: row.role, content: row.content, search_text: row.search_text,
  occurred_at: row.occurred_at, ingested_at: row.ingested_at, source: row.source, metadata: row.metadata,
  embedding: CAST(row.embedding AS FLOAT[])})-[:IN_SESSION]->(s)
RETURN count(*) AS written
