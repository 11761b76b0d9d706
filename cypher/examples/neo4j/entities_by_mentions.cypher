// entities_by_mentions -- the entities of a namespace, most mentioned first, with how many episodes mention them -- params: namespace
MATCH (e:Entity)
WHERE e.namespace = $namespace
OPTIONAL MATCH (ep:Episode)-[:MENTIONS]->(e)
RETURN e.name AS entity, e.type AS type, e.mention_count AS mention_count, count(ep) AS episodes
ORDER BY mention_count DESC, entity
LIMIT 25
