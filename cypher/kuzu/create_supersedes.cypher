// create_supersedes -- params: rows[{new_uid,old_uid,reason,rule,at,old_status}] -- returns: written (rows whose endpoints exist; the store fails the batch when short)
UNWIND $rows AS row
MATCH (n:Fact {uid: row.new_uid}), (o:Fact {uid: row.old_uid})
CREATE (n)-[:SUPERSEDES {reason: row.reason, rule: row.rule, at: row.at, old_status: row.old_status}]->(o)
RETURN count(*) AS written
