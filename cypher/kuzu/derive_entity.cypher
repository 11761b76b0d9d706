// derive_entity -- params: rows[{insight_uid,target_uid}] -- (Insight)-[:DERIVED_FROM]->(Entity)
UNWIND $rows AS row
MATCH (i:Insight {uid: row.insight_uid}), (t:Entity {uid: row.target_uid})
MERGE (i)-[:DERIVED_FROM]->(t)
