// relationship_counts -- how the namespace's graph is made: relationships by type, counted from their start node -- params: namespace
MATCH (a)-[r]->(b)
WHERE a.namespace = $namespace
RETURN type(r) AS relationship, count(*) AS n
ORDER BY n DESC
