// count_extraction_errors -- params: every_namespace, namespace -- returns: n (episodes stored without facts because extraction failed; metadata is JSON text)
MATCH (e:Episode)
WHERE ($every_namespace OR e.namespace = $namespace) AND e.metadata CONTAINS '"extraction_error"'
RETURN count(*) AS n
