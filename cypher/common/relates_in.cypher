// relates_in -- params: uids, statuses, use_as_of, as_of -- returns: source_id, fact_id, target_id, recorded_at
// One hop against RELATES' direction (who points at these entities).
UNWIND $uids AS u
MATCH (a:Entity)-[r:RELATES]->(b:Entity {uid: u})
WHERE r.status IN $statuses
  AND (NOT $use_as_of OR ((r.valid_from IS NULL OR r.valid_from <= $as_of)
                          AND (r.valid_to IS NULL OR r.valid_to > $as_of)))
RETURN a.id AS source_id, r.fact_id AS fact_id, b.id AS target_id, r.recorded_at AS recorded_at
