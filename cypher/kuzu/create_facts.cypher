// create_facts -- params: rows[{uid,id,namespace,subject_uid,subject_id,predicate,predicate_raw,object_id,object_value,text,polarity,modality,status,valid_from,valid_to,recorded_at,invalidated_at,confidence,support,access_count,last_access,utility,embedding}] -- returns: written (rows whose endpoints exist; the store fails the batch when short)
UNWIND $rows AS row
MATCH (s:Entity {uid: row.subject_uid})
CREATE (s)-[:SUBJECT_OF]->(f:Fact {uid: row.uid, id: row.id, namespace: row.namespace,
  subject_id: row.subject_id, predicate: row.predicate, predicate_raw: row.predicate_raw,
  object_id: CAST(row.object_id AS STRING), object_value: CAST(row.object_value AS STRING), text: row.text, polarity: row.polarity,
  modality: row.modality, status: row.status, valid_from: CAST(row.valid_from AS TIMESTAMP), valid_to: CAST(row.valid_to AS TIMESTAMP),
  recorded_at: row.recorded_at, invalidated_at: CAST(row.invalidated_at AS TIMESTAMP), confidence: row.confidence,
  support: row.support, access_count: row.access_count, last_access: CAST(row.last_access AS TIMESTAMP),
  utility: row.utility, embedding: CAST(row.embedding AS FLOAT[])})
RETURN count(*) AS written
