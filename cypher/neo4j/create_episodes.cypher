// create_episodes -- params: rows[{uid,id,namespace,session_uid,session_id,seq,speaker,role,content,search_text,occurred_at,ingested_at,source,metadata,embedding}] -- returns: written
// Episodes are immutable: created with their session link in the same statement. The uniqueness
// constraint on Episode.uid makes a second CREATE of the same episode fail the whole transaction.
// OPTIONAL MATCH, not MATCH: a row naming a node that does not exist then reaches CREATE / MERGE with a
// null end, which Neo4j refuses ("Failed to create relationship ..., node ... is missing"), so the
// whole batch fails instead of silently losing the row.
UNWIND $rows AS row
OPTIONAL MATCH (s:Session {uid: row.session_uid})
CREATE (e:Episode {uid: row.uid, id: row.id, namespace: row.namespace, session_id: row.session_id,
  seq: row.seq, speaker: row.speaker, role: row.role, content: row.content, search_text: row.search_text,
  occurred_at: row.occurred_at, ingested_at: row.ingested_at, source: row.source, metadata: row.metadata,
  embedding: row.embedding})-[:IN_SESSION]->(s)
RETURN count(*) AS written
