// create_fact_objects -- params: rows[{fact_uid,subject_uid,object_uid,namespace,fact_id,predicate,status,valid_from,valid_to,recorded_at}] -- returns: written (rows whose endpoints exist; the store fails the batch when short)
// The OBJECT edge and the RELATES projection of an entity-valued fact, written together.
UNWIND $rows AS row
MATCH (f:Fact {uid: row.fact_uid}), (s:Entity {uid: row.subject_uid}), (o:Entity {uid: row.object_uid})
CREATE (f)-[:OBJECT]->(o)
CREATE (s)-[:RELATES {namespace: row.namespace, fact_id: row.fact_id, predicate: row.predicate,
  status: row.status, valid_from: CAST(row.valid_from AS TIMESTAMP), valid_to: CAST(row.valid_to AS TIMESTAMP), recorded_at: row.recorded_at}]->(o)
RETURN count(*) AS written
