// export_episodes -- params: namespace -- returns: episode columns, embedding
// For export: the caller sorts the rows (databases return them in no fixed order).
MATCH (e:Episode)
WHERE e.namespace = $namespace
RETURN e.id AS id, e.namespace AS namespace, e.session_id AS session_id, e.seq AS seq, e.speaker AS speaker,
  e.role AS role, e.content AS content, e.occurred_at AS occurred_at, e.ingested_at AS ingested_at,
  e.source AS source, e.metadata AS metadata, e.embedding AS embedding
