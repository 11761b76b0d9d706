// create_next_links -- params: rows[{prev_uid,next_uid}] -- returns: written
// OPTIONAL MATCH, not MATCH: a row naming a node that does not exist then reaches CREATE / MERGE with a
// null end, which Neo4j refuses ("Failed to create relationship ..., node ... is missing"), so the
// whole batch fails instead of silently losing the row.
UNWIND $rows AS row
OPTIONAL MATCH (a:Episode {uid: row.prev_uid})
OPTIONAL MATCH (b:Episode {uid: row.next_uid})
CREATE (a)-[:NEXT]->(b)
RETURN count(*) AS written
