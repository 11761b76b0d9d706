// upsert_insights -- params: rows[{uid,id,namespace,kind,text,score,created_at,stale,utility,embedding}]
// Insight text and embedding are immutable (a new text is a new insight); score, staleness and utility change.
UNWIND $rows AS row
MERGE (i:Insight {uid: row.uid})
ON CREATE SET i.id = row.id, i.namespace = row.namespace, i.kind = row.kind, i.text = row.text,
  i.score = row.score, i.created_at = row.created_at, i.stale = row.stale, i.utility = row.utility,
  i.embedding = row.embedding
ON MATCH SET i.score = row.score, i.stale = row.stale, i.utility = row.utility
