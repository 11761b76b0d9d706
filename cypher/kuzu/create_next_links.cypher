// create_next_links -- params: rows[{prev_uid,next_uid}] -- returns: written (rows whose endpoints exist; the store fails the batch when short)
UNWIND $rows AS row
MATCH (a:Episode {uid: row.prev_uid}), (b:Episode {uid: row.next_uid})
CREATE (a)-[:NEXT]->(b)
RETURN count(*) AS written
