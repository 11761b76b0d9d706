// get_insights -- params: uids -- returns: insight columns
UNWIND $uids AS u
MATCH (i:Insight {uid: u})
RETURN i.id AS id, i.namespace AS namespace, i.kind AS kind, i.text AS text, i.score AS score,
  i.created_at AS created_at, i.stale AS stale, i.utility AS utility
