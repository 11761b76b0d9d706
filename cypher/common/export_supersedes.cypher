// export_supersedes -- params: namespace -- returns: new_id, old_id, reason, rule, at, old_status
// For export: the caller sorts the rows (databases return them in no fixed order).
MATCH (n:Fact)-[r:SUPERSEDES]->(o:Fact)
WHERE n.namespace = $namespace
RETURN n.id AS new_id, o.id AS old_id, r.reason AS reason, r.rule AS rule, r.at AS at, r.old_status AS old_status
