// delete_namespace -- params: namespace -- every node of the namespace, with its relationships
MATCH (n)
WHERE n.namespace = $namespace
DETACH DELETE n
