// derive_episode -- params: rows[{insight_uid,target_uid}] -- (Insight)-[:DERIVED_FROM]->(Episode) -- returns: written (rows whose endpoints exist; the store fails the batch when short)
UNWIND $rows AS row
MATCH (i:Insight {uid: row.insight_uid}), (t:Episode {uid: row.target_uid})
MERGE (i)-[:DERIVED_FROM]->(t)
RETURN count(*) AS written
