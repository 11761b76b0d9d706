// vectors_session -- params: namespace -- returns: id, embedding
// Loads the stored embeddings of one namespace into the derived vector index.
MATCH (n:Session)
WHERE n.namespace = $namespace AND n.embedding IS NOT NULL
RETURN n.id AS id, n.embedding AS embedding
