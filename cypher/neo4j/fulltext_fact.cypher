// fulltext_fact -- params: namespace, query, fetch, k -- returns: seen, hits[{id, score}]
// `query` is Lucene syntax with the user's special characters already escaped by the store. The
// index spans every namespace, so it returns at most `fetch` hits and the namespace filter runs
// on them; `seen` tells the store whether to ask again with a larger `fetch`.
CALL db.index.fulltext.queryNodes('graphmem_fact_text', $query, {limit: $fetch}) YIELD node, score
WITH count(*) AS seen,
  collect(CASE WHEN node.namespace = $namespace THEN {id: node.id, score: score} END) AS hits
RETURN seen, hits[..$k] AS hits
