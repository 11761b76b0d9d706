// fact_evidence -- params: uids -- returns: fact_id, episode_id
UNWIND $uids AS u
MATCH (f:Fact {uid: u})-[:EVIDENCED_BY]->(e:Episode)
RETURN f.id AS fact_id, e.id AS episode_id
