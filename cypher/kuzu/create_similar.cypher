// create_similar -- params: rows[{a_uid,b_uid,score}] -- returns: written (rows whose endpoints exist; the store fails the batch when short)
UNWIND $rows AS row
MATCH (a:Entity {uid: row.a_uid}), (b:Entity {uid: row.b_uid})
MERGE (a)-[r:SIMILAR]->(b)
SET r.score = row.score
RETURN count(*) AS written
