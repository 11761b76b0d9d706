// delete_entities -- params: uids
UNWIND $uids AS u
MATCH (n:Entity {uid: u})
DETACH DELETE n
