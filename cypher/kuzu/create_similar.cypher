// create_similar -- params: rows[{a_uid,b_uid,score}]
UNWIND $rows AS row
MATCH (a:Entity {uid: row.a_uid}), (b:Entity {uid: row.b_uid})
MERGE (a)-[r:SIMILAR]->(b)
SET r.score = row.score
