// count_nodes -- params: every_namespace, namespace -- returns: kind, n
// A node's kind is its one label (graphmem gives every node exactly one).
MATCH (n)
WHERE $every_namespace OR n.namespace = $namespace
RETURN labels(n)[0] AS kind, count(*) AS n
