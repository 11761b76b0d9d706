// insights_of -- params: uids -- returns: target_id, insight_id
UNWIND $uids AS u
MATCH (i:Insight)-[:DERIVED_FROM]->(t)
WHERE t.uid = u
RETURN t.id AS target_id, i.id AS insight_id
