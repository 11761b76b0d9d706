// delete_relates_of_facts -- params: uids -- the RELATES projection of facts about to be deleted
UNWIND $uids AS u
MATCH (s:Entity)-[:SUBJECT_OF]->(f:Fact {uid: u})
MATCH (s)-[r:RELATES]->(:Entity)
WHERE r.fact_id = f.id
DELETE r
