// get_facts -- params: uids -- returns: fact columns
UNWIND $uids AS u
MATCH (f:Fact {uid: u})
RETURN f.id AS id, f.namespace AS namespace, f.subject_id AS subject_id, f.predicate AS predicate,
  f.predicate_raw AS predicate_raw, f.object_id AS object_id, f.object_value AS object_value, f.text AS text,
  f.polarity AS polarity, f.modality AS modality, f.status AS status, f.valid_from AS valid_from,
  f.valid_to AS valid_to, f.recorded_at AS recorded_at, f.invalidated_at AS invalidated_at,
  f.confidence AS confidence, f.support AS support, f.access_count AS access_count,
  f.last_access AS last_access, f.utility AS utility
