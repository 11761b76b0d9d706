// vectors_insight -- params: namespace -- returns: id, embedding
// Loads the stored embeddings of one namespace into the derived vector index.
MATCH (n:Insight)
WHERE n.namespace = $namespace AND n.embedding IS NOT NULL
RETURN n.id AS id, n.embedding AS embedding
