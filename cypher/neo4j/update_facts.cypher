// update_facts -- params: rows[{uid,status,valid_to,invalidated_at,confidence,support,access_count,last_access,utility}], clear_valid_to, clear_invalidated_at
// Null fields keep their value; a uid listed in clear_valid_to / clear_invalidated_at has that
// timestamp removed (undo), which wins over a value in the same row, as on Kuzu.
UNWIND $rows AS row
MATCH (f:Fact {uid: row.uid})
SET f.status = coalesce(row.status, f.status),
  f.valid_to = CASE WHEN row.uid IN $clear_valid_to THEN null ELSE coalesce(row.valid_to, f.valid_to) END,
  f.invalidated_at = CASE WHEN row.uid IN $clear_invalidated_at THEN null
                     ELSE coalesce(row.invalidated_at, f.invalidated_at) END,
  f.confidence = coalesce(row.confidence, f.confidence),
  f.support = coalesce(row.support, f.support),
  f.access_count = coalesce(row.access_count, f.access_count),
  f.last_access = coalesce(row.last_access, f.last_access),
  f.utility = coalesce(row.utility, f.utility)
