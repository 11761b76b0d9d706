// orphan_entities -- params: uids -- returns: uid (entities no fact or episode still needs)
UNWIND $uids AS u
MATCH (n:Entity {uid: u})
WHERE NOT EXISTS { MATCH (n)-[:SUBJECT_OF]->(:Fact) }
  AND NOT EXISTS { MATCH (:Fact)-[:OBJECT]->(n) }
  AND NOT EXISTS { MATCH (:Episode)-[:MENTIONS]->(n) }
RETURN n.uid AS uid
