// slot_history -- every value a slot (person + predicate) ever held, oldest first, and what replaced it and why -- params: namespace, name, predicate
MATCH (s:Entity)-[:SUBJECT_OF]->(f:Fact)
WHERE s.namespace = $namespace AND toLower(s.name) = toLower($name) AND f.predicate = $predicate
OPTIONAL MATCH (newer:Fact)-[r:SUPERSEDES]->(f)
RETURN f.text AS fact, f.status AS status, f.valid_from AS valid_from, f.valid_to AS valid_to,
  newer.text AS replaced_by, r.rule AS rule, r.reason AS reason
ORDER BY valid_from
