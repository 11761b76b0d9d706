// similar_entities -- the entities whose name embeddings are closest to a given one, and any SIMILAR (near-duplicate, not merged) edge between them -- params: namespace, name
MATCH (a:Entity), (b:Entity)
WHERE a.namespace = $namespace AND toLower(a.name) = toLower($name) AND b.namespace = $namespace AND b.id <> a.id
OPTIONAL MATCH (a)-[s:SIMILAR]-(b)
RETURN b.name AS entity, b.type AS type, vector.similarity.cosine(a.embedding, b.embedding) AS cosine,
  s.score AS similar_edge_score
ORDER BY cosine DESC
LIMIT 10
