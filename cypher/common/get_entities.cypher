// get_entities -- params: uids -- returns: entity columns
UNWIND $uids AS u
MATCH (n:Entity {uid: u})
RETURN n.id AS id, n.namespace AS namespace, n.name AS name, n.key AS key, n.type AS type, n.aliases AS aliases,
  n.summary AS summary, n.mention_count AS mention_count, n.first_seen AS first_seen, n.last_seen AS last_seen
