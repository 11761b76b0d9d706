// delete_episodes -- params: uids
UNWIND $uids AS u
MATCH (e:Episode {uid: u})
DETACH DELETE e
