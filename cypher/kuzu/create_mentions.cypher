// create_mentions -- params: rows[{episode_uid,entity_uid}] -- returns: written (rows whose endpoints exist; the store fails the batch when short)
UNWIND $rows AS row
MATCH (e:Episode {uid: row.episode_uid}), (n:Entity {uid: row.entity_uid})
MERGE (e)-[:MENTIONS]->(n)
RETURN count(*) AS written
