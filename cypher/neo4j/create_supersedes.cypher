// create_supersedes -- params: rows[{new_uid,old_uid,reason,rule,at,old_status}] -- returns: written
// OPTIONAL MATCH, not MATCH: a row naming a node that does not exist then reaches CREATE / MERGE with a
// null end, which Neo4j refuses ("Failed to create relationship ..., node ... is missing"), so the
// whole batch fails instead of silently losing the row.
UNWIND $rows AS row
OPTIONAL MATCH (n:Fact {uid: row.new_uid})
OPTIONAL MATCH (o:Fact {uid: row.old_uid})
CREATE (n)-[:SUPERSEDES {reason: row.reason, rule: row.rule, at: row.at, old_status: row.old_status}]->(o)
RETURN count(*) AS written
