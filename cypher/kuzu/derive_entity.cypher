// derive_entity -- params: rows[{insight_uid,target_uid}] -- (Insight)-[:DERIVED_FROM]->(Entity) -- returns: written (rows whose endpoints exist; the store fails the batch when short)
UNWIND $rows AS row
MATCH (i:Insight {uid: row.insight_uid}), (t:Entity {uid: row.target_uid})
MERGE (i)-[:DERIVED_FROM]->(t)
RETURN count(*) AS written
