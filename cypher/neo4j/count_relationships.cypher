// count_relationships -- params: every_namespace, namespace -- returns: kind, n (counted by the namespace of the start node)
MATCH (a)-[r]->()
WHERE $every_namespace OR a.namespace = $namespace
RETURN type(r) AS kind, count(*) AS n
