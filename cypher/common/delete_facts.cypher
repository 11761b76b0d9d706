// delete_facts -- params: uids
UNWIND $uids AS u
MATCH (f:Fact {uid: u})
DETACH DELETE f
