// create_evidence -- params: rows[{fact_uid,episode_uid}]
UNWIND $rows AS row
MATCH (f:Fact {uid: row.fact_uid}), (e:Episode {uid: row.episode_uid})
MERGE (f)-[:EVIDENCED_BY]->(e)
