// subject_facts -- params: uids, statuses, use_as_of, as_of -- returns: entity_id, fact_id, recorded_at
// Literal-valued facts of entities (ages, properties) have no RELATES edge; fetch them by subject.
// Entity-valued facts are not fetched here: they are reached (or not) by the RELATES hops.
UNWIND $uids AS u
MATCH (s:Entity {uid: u})-[:SUBJECT_OF]->(f:Fact)
WHERE f.object_id IS NULL AND f.status IN $statuses
  AND (NOT $use_as_of OR ((f.valid_from IS NULL OR f.valid_from <= $as_of)
                          AND (f.valid_to IS NULL OR f.valid_to > $as_of)))
RETURN s.id AS entity_id, f.id AS fact_id, f.recorded_at AS recorded_at
