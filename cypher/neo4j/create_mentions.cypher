// create_mentions -- params: rows[{episode_uid,entity_uid}] -- returns: written
// OPTIONAL MATCH, not MATCH: a row naming a node that does not exist then reaches CREATE / MERGE with a
// null end, which Neo4j refuses ("Failed to create relationship ..., node ... is missing"), so the
// whole batch fails instead of silently losing the row.
UNWIND $rows AS row
OPTIONAL MATCH (e:Episode {uid: row.episode_uid})
OPTIONAL MATCH (n:Entity {uid: row.entity_uid})
MERGE (e)-[:MENTIONS]->(n)
RETURN count(*) AS written
