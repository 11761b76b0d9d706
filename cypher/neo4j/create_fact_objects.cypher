// create_fact_objects -- params: rows[{fact_uid,subject_uid,object_uid,namespace,fact_id,predicate,status,valid_from,valid_to,recorded_at}] -- returns: written
// The OBJECT edge and the RELATES projection of an entity-valued fact, written together.
// OPTIONAL MATCH, not MATCH: a row naming a node that does not exist then reaches CREATE / MERGE with a
// null end, which Neo4j refuses ("Failed to create relationship ..., node ... is missing"), so the
// whole batch fails instead of silently losing the row.
UNWIND $rows AS row
OPTIONAL MATCH (f:Fact {uid: row.fact_uid})
OPTIONAL MATCH (s:Entity {uid: row.subject_uid})
OPTIONAL MATCH (o:Entity {uid: row.object_uid})
CREATE (f)-[:OBJECT]->(o)
CREATE (s)-[:RELATES {namespace: row.namespace, fact_id: row.fact_id, predicate: row.predicate,
  status: row.status, valid_from: row.valid_from, valid_to: row.valid_to, recorded_at: row.recorded_at}]->(o)
RETURN count(*) AS written
