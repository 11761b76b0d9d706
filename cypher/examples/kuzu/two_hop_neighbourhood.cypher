// two_hop_neighbourhood -- entities within two RELATES hops of a person (either direction) through current facts, each hop told by its fact -- params: namespace, name
MATCH (a:Entity)-[r1:RELATES]-(b:Entity)-[r2:RELATES]-(c:Entity)
WHERE a.namespace = $namespace AND lower(a.name) = lower($name) AND r1.status = 'active'
  AND r2.status = 'active' AND c.id <> a.id
MATCH (f1:Fact), (f2:Fact)
WHERE f1.namespace = $namespace AND f1.id = r1.fact_id AND f2.namespace = $namespace AND f2.id = r2.fact_id
RETURN b.name AS via, c.name AS reached, f1.text AS first_hop, f2.text AS second_hop
ORDER BY via, reached
LIMIT 50
