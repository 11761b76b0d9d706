// derive_episode -- params: rows[{insight_uid,target_uid}] -- (Insight)-[:DERIVED_FROM]->(Episode)
UNWIND $rows AS row
MATCH (i:Insight {uid: row.insight_uid}), (t:Episode {uid: row.target_uid})
MERGE (i)-[:DERIVED_FROM]->(t)
