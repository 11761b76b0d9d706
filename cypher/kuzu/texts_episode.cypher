// texts_episode -- params: namespace -- returns: id, text
// Loads the searchable text of one namespace into the derived BM25 index (graphmem/store/lexical.py).
MATCH (n:Episode)
WHERE n.namespace = $namespace
RETURN n.id AS id, n.search_text AS text
