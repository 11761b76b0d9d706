// episode_links -- params: uid -- returns: prev_uid, next_uid, entity_uids (the episode's neighbours in its session and what it mentions)
MATCH (e:Episode {uid: $uid})
OPTIONAL MATCH (p:Episode)-[:NEXT]->(e)
OPTIONAL MATCH (e)-[:NEXT]->(n:Episode)
OPTIONAL MATCH (e)-[:MENTIONS]->(m:Entity)
RETURN p.uid AS prev_uid, n.uid AS next_uid, collect(DISTINCT m.uid) AS entity_uids
