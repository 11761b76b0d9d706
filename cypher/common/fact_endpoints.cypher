// fact_endpoints -- params: uids -- returns: subject_uid, object_uid (object is null for literals)
UNWIND $uids AS u
MATCH (s:Entity)-[:SUBJECT_OF]->(f:Fact {uid: u})
OPTIONAL MATCH (f)-[:OBJECT]->(o:Entity)
RETURN s.uid AS subject_uid, o.uid AS object_uid
