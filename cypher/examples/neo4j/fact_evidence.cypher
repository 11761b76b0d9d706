// fact_evidence -- the episodes (who said what, when) that evidence the facts whose text contains a phrase -- params: namespace, text
MATCH (f:Fact)-[:EVIDENCED_BY]->(ep:Episode)
WHERE f.namespace = $namespace AND toLower(f.text) CONTAINS toLower($text)
RETURN f.text AS fact, f.status AS status, ep.occurred_at AS said_at, ep.speaker AS speaker,
  ep.content AS episode, ep.id AS episode_id
ORDER BY said_at
