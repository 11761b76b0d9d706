// similar_entities -- the entities whose name embeddings are closest to a given one, and any SIMILAR (near-duplicate, not merged) edge between them -- params: namespace, name
MATCH (a:Entity), (b:Entity)
WHERE a.namespace = $namespace AND lower(a.name) = lower($name) AND b.namespace = $namespace AND b.id <> a.id
OPTIONAL MATCH (a)-[s:SIMILAR]-(b)
RETURN b.name AS entity, b.type AS type,
  array_cosine_similarity(CAST(a.embedding AS FLOAT[384]), CAST(b.embedding AS FLOAT[384])) AS cosine,
  s.score AS similar_edge_score
ORDER BY cosine DESC
LIMIT 10
