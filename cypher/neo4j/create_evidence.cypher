// create_evidence -- params: rows[{fact_uid,episode_uid}] -- returns: written
// OPTIONAL MATCH, not MATCH: a row naming a node that does not exist then reaches CREATE / MERGE with a
// null end, which Neo4j refuses ("Failed to create relationship ..., node ... is missing"), so the
// whole batch fails instead of silently losing the row.
UNWIND $rows AS row
OPTIONAL MATCH (f:Fact {uid: row.fact_uid})
OPTIONAL MATCH (e:Episode {uid: row.episode_uid})
MERGE (f)-[:EVIDENCED_BY]->(e)
RETURN count(*) AS written
