// count_nodes -- params: every_namespace, namespace -- returns: kind, n
MATCH (n)
WHERE $every_namespace OR n.namespace = $namespace
RETURN label(n) AS kind, count(*) AS n
