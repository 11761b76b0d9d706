// vector_search_insight -- params: namespace, vector, fetch, k -- returns: seen, hits[{id, score}]
// Neo4j 5 vector indexes cannot filter, so the index returns the `fetch` nearest Insight nodes of the
// whole store and the namespace filter runs on those; `seen` (how many the index returned) tells
// the store whether fewer than k hits mean "that is all" or "ask vector_scan_insight". The index score
// is (1 + cosine) / 2; hits carry the cosine itself, as on every backend.
CALL db.index.vector.queryNodes('graphmem_insight_embedding', $fetch, $vector) YIELD node, score
WITH count(*) AS seen,
  collect(CASE WHEN node.namespace = $namespace THEN {id: node.id, score: 2 * score - 1} END) AS hits
RETURN seen, hits[..$k] AS hits
