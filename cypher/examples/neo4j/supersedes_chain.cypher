// supersedes_chain -- for each current fact of a person, the chain of older facts it replaced, walking SUPERSEDES back -- params: namespace, name
MATCH (s:Entity)-[:SUBJECT_OF]->(cur:Fact)
WHERE s.namespace = $namespace AND toLower(s.name) = toLower($name) AND cur.status = 'active'
MATCH (cur)-[chain:SUPERSEDES*1..10]->(older:Fact)
RETURN cur.text AS current_fact, older.text AS earlier_fact, older.status AS status,
  older.valid_from AS valid_from, older.valid_to AS valid_to, size(chain) AS steps_back
ORDER BY current_fact, steps_back
