// vector_scan_insight -- params: namespace, vector, k -- returns: id, score
// Exact cosine over one namespace's Insight nodes: the fallback when the approximate index search
// (vector_search_insight) was crowded out by other namespaces. Same score scale as the index.
MATCH (n:Insight)
WHERE n.namespace = $namespace AND n.embedding IS NOT NULL
WITH n, vector.similarity.cosine(n.embedding, $vector) AS similarity
WHERE similarity IS NOT NULL
RETURN n.id AS id, 2 * similarity - 1 AS score
ORDER BY score DESC, id
LIMIT $k
