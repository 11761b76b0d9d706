// derive_entity -- params: rows[{insight_uid,target_uid}] -- (Insight)-[:DERIVED_FROM]->(Entity) -- returns: written
// OPTIONAL MATCH, not MATCH: a row naming a node that does not exist then reaches CREATE / MERGE with a
// null end, which Neo4j refuses ("Failed to create relationship ..., node ... is missing"), so the
// whole batch fails instead of silently losing the row.
UNWIND $rows AS row
OPTIONAL MATCH (i:Insight {uid: row.insight_uid})
OPTIONAL MATCH (t:Entity {uid: row.target_uid})
MERGE (i)-[:DERIVED_FROM]->(t)
RETURN count(*) AS written
