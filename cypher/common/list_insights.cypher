// list_insights -- params: namespace, kind, include_stale, skip, limit -- returns: insight columns
// Empty kind means every kind.
MATCH (i:Insight)
WHERE i.namespace = $namespace AND ($kind = '' OR i.kind = $kind) AND ($include_stale OR NOT i.stale)
RETURN i.id AS id, i.namespace AS namespace, i.kind AS kind, i.text AS text, i.score AS score,
  i.created_at AS created_at, i.stale AS stale, i.utility AS utility
ORDER BY i.created_at DESC, i.id
SKIP $skip LIMIT $limit
