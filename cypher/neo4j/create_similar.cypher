// create_similar -- params: rows[{a_uid,b_uid,score}] -- returns: written
// OPTIONAL MATCH, not MATCH: a row naming a node that does not exist then reaches CREATE / MERGE with a
// null end, which Neo4j refuses ("Failed to create relationship ..., node ... is missing"), so the
// whole batch fails instead of silently losing the row.
UNWIND $rows AS row
OPTIONAL MATCH (a:Entity {uid: row.a_uid})
OPTIONAL MATCH (b:Entity {uid: row.b_uid})
MERGE (a)-[r:SIMILAR]->(b)
SET r.score = row.score
RETURN count(*) AS written
