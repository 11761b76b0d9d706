// insight_targets -- params: uids -- returns: insight_id, target_id, target_kind
UNWIND $uids AS u
MATCH (i:Insight {uid: u})-[:DERIVED_FROM]->(t)
RETURN i.id AS insight_id, t.id AS target_id, labels(t)[0] AS target_kind
