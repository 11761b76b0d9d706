// vector_scan_fact -- params: namespace, vector, k -- returns: id, score
// Exact cosine over one namespace's Fact nodes: the fallback when the approximate index search
// (vector_search_fact) was crowded out by other namespaces. Same score scale as the index.
MATCH (n:Fact)
WHERE n.namespace = $namespace AND n.embedding IS NOT NULL
WITH n, vector.similarity.cosine(n.embedding, $vector) AS similarity
WHERE similarity IS NOT NULL
RETURN n.id AS id, 2 * similarity - 1 AS score
ORDER BY score DESC, id
LIMIT $k
