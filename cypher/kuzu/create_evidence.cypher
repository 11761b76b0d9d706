// create_evidence -- params: rows[{fact_uid,episode_uid}] -- returns: written (rows whose endpoints exist; the store fails the batch when short)
UNWIND $rows AS row
MATCH (f:Fact {uid: row.fact_uid}), (e:Episode {uid: row.episode_uid})
MERGE (f)-[:EVIDENCED_BY]->(e)
RETURN count(*) AS written
