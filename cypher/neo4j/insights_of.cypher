// insights_of -- params: uids -- returns: target_id, insight_id
// A target is a Fact, Episode, Entity or Session: one uniqueness-constraint seek per label finds it
// (CALL (u) needs Neo4j 5.23+), then the insights pointing at it.
UNWIND $uids AS u
CALL (u) {
  MATCH (t:Fact {uid: u}) RETURN t
  UNION
  MATCH (t:Episode {uid: u}) RETURN t
  UNION
  MATCH (t:Entity {uid: u}) RETURN t
  UNION
  MATCH (t:Session {uid: u}) RETURN t
}
MATCH (i:Insight)-[:DERIVED_FROM]->(t)
RETURN t.id AS target_id, i.id AS insight_id
