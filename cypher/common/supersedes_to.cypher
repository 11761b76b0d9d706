// supersedes_to -- params: uids -- returns: new_id, old_id, reason, rule, at, old_status (edges reaching these facts)
UNWIND $uids AS u
MATCH (n:Fact)-[r:SUPERSEDES]->(o:Fact {uid: u})
RETURN n.id AS new_id, o.id AS old_id, r.reason AS reason, r.rule AS rule, r.at AS at, r.old_status AS old_status
