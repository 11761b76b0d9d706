// create_facts -- params: rows[{uid,id,namespace,subject_uid,subject_id,predicate,predicate_raw,object_id,object_value,text,polarity,modality,status,valid_from,valid_to,recorded_at,invalidated_at,confidence,support,access_count,last_access,utility,embedding}] -- returns: written
// Null values (no object_id, no valid_to, no embedding ...) leave the property unset, which reads back as null.
// OPTIONAL MATCH, not MATCH: a row naming a node that does not exist then reaches CREATE / MERGE with a
// null end, which Neo4j refuses ("Failed to create relationship ..., node ... is missing"), so the
// whole batch fails instead of silently losing the row.
UNWIND $rows AS row
OPTIONAL MATCH (s:Entity {uid: row.subject_uid})
CREATE (s)-[:SUBJECT_OF]->(f:Fact {uid: row.uid, id: row.id, namespace: row.namespace,
  subject_id: row.subject_id, predicate: row.predicate, predicate_raw: row.predicate_raw,
  object_id: row.object_id, object_value: row.object_value, text: row.text, polarity: row.polarity,
  modality: row.modality, status: row.status, valid_from: row.valid_from, valid_to: row.valid_to,
  recorded_at: row.recorded_at, invalidated_at: row.invalidated_at, confidence: row.confidence,
  support: row.support, access_count: row.access_count, last_access: row.last_access,
  utility: row.utility, embedding: row.embedding})
RETURN count(*) AS written
