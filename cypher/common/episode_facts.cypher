// episode_facts -- params: uids -- returns: episode_id, fact_id
UNWIND $uids AS u
MATCH (f:Fact)-[:EVIDENCED_BY]->(e:Episode {uid: u})
RETURN e.id AS episode_id, f.id AS fact_id
