// update_facts -- params: rows[{uid,status,valid_to,invalidated_at,confidence,support,access_count,last_access,utility}], clear_valid_to, clear_invalidated_at
// Null fields keep their value. Kuzu types a column that is null in every row as STRING, hence the
// casts; clearing a timestamp (undo) is its own statement because Kuzu 0.11 fails on a CASE that
// yields NULL for a TIMESTAMP inside UNWIND.
UNWIND $rows AS row
MATCH (f:Fact {uid: row.uid})
SET f.status = coalesce(CAST(row.status AS STRING), f.status),
  f.valid_to = coalesce(CAST(row.valid_to AS TIMESTAMP), f.valid_to),
  f.invalidated_at = coalesce(CAST(row.invalidated_at AS TIMESTAMP), f.invalidated_at),
  f.confidence = coalesce(CAST(row.confidence AS DOUBLE), f.confidence),
  f.support = coalesce(CAST(row.support AS INT64), f.support),
  f.access_count = coalesce(CAST(row.access_count AS INT64), f.access_count),
  f.last_access = coalesce(CAST(row.last_access AS TIMESTAMP), f.last_access),
  f.utility = coalesce(CAST(row.utility AS DOUBLE), f.utility)
;
UNWIND $clear_valid_to AS u
MATCH (f:Fact {uid: u})
SET f.valid_to = NULL
;
UNWIND $clear_invalidated_at AS u
MATCH (f:Fact {uid: u})
SET f.invalidated_at = NULL
