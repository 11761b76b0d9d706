// sync_relates -- params: uids -- keeps the RELATES projection in step with its facts' status and validity.
// Setting a property to null removes it, so a cleared valid_to is cleared on the edge too.
UNWIND $uids AS u
MATCH (s:Entity)-[:SUBJECT_OF]->(f:Fact {uid: u})-[:OBJECT]->(o:Entity)
MATCH (s)-[r:RELATES]->(o)
WHERE r.fact_id = f.id
SET r.status = f.status, r.valid_to = f.valid_to
