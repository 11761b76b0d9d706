// supersedes_from -- params: uids -- returns: new_id, old_id, reason, rule, at, old_status (edges leaving these facts)
UNWIND $uids AS u
MATCH (n:Fact {uid: u})-[r:SUPERSEDES]->(o:Fact)
RETURN n.id AS new_id, o.id AS old_id, r.reason AS reason, r.rule AS rule, r.at AS at, r.old_status AS old_status
