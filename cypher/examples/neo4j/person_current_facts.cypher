// person_current_facts -- what is true about a person now: their active facts, entity or literal objects -- params: namespace, name
MATCH (s:Entity)-[:SUBJECT_OF]->(f:Fact)
WHERE s.namespace = $namespace AND toLower(s.name) = toLower($name) AND f.status = 'active'
OPTIONAL MATCH (f)-[:OBJECT]->(o:Entity)
RETURN f.predicate AS predicate, coalesce(o.name, f.object_value) AS object, f.polarity AS positive,
  f.modality AS modality, f.valid_from AS since, f.text AS text
ORDER BY predicate, since
