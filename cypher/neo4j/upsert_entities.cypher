// upsert_entities -- params: rows[{uid,id,namespace,name,key,type,aliases,alias_keys,search_text,summary,mention_count,first_seen,last_seen,embedding}]
// New entities are created with their embedding; existing ones only get their mutable fields
// (the embedding is never SET again: embeddings are immutable on every backend).
UNWIND $rows AS row
MERGE (n:Entity {uid: row.uid})
ON CREATE SET n.id = row.id, n.namespace = row.namespace, n.name = row.name, n.key = row.key,
  n.type = row.type, n.aliases = row.aliases, n.alias_keys = row.alias_keys, n.search_text = row.search_text,
  n.summary = row.summary, n.mention_count = row.mention_count, n.first_seen = row.first_seen,
  n.last_seen = row.last_seen, n.embedding = row.embedding
ON MATCH SET n.type = row.type, n.aliases = row.aliases, n.alias_keys = row.alias_keys,
  n.search_text = row.search_text, n.summary = row.summary, n.mention_count = row.mention_count,
  n.last_seen = row.last_seen
