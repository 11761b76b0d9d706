// facts_changed_between -- facts that started or stopped holding in a window of event time (ISO dates) -- params: namespace, since, until
MATCH (f:Fact)
WHERE f.namespace = $namespace
  AND ((f.valid_from >= timestamp($since) AND f.valid_from < timestamp($until))
    OR (f.valid_to >= timestamp($since) AND f.valid_to < timestamp($until)))
RETURN f.text AS fact, f.status AS status, f.valid_from AS valid_from, f.valid_to AS valid_to,
  coalesce(f.valid_to, f.valid_from) AS changed_at
ORDER BY changed_at
