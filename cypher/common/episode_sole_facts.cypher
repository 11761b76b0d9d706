// episode_sole_facts -- params: uid -- returns: uid, id (facts evidenced by this episode and no other)
MATCH (f:Fact)-[:EVIDENCED_BY]->(e:Episode {uid: $uid})
OPTIONAL MATCH (f)-[:EVIDENCED_BY]->(other:Episode)
WHERE other.uid <> $uid
WITH f, count(other) AS others
WHERE others = 0
RETURN f.uid AS uid, f.id AS id
