// schema -- params: dimension -- the Neo4j schema: uniqueness constraints, lookup indexes, and the
// native vector (cosine) and full-text indexes that serve search. Every statement is idempotent
// (IF NOT EXISTS) and runs in its own transaction, because Neo4j does not mix schema and data
// changes. Names carry a graphmem_ prefix so they cannot collide with a user's own indexes.
// Every node has uid = namespace + '/' + id, unique per label, so ids never collide across namespaces.
// The vector dimension is a parameter: Neo4j evaluates OPTIONS values with the query's parameters;
// the store validates it and checks the created indexes afterwards (vector_index_dimensions).

CREATE CONSTRAINT graphmem_meta_key IF NOT EXISTS FOR (n:Meta) REQUIRE n.key IS UNIQUE
;
CREATE CONSTRAINT graphmem_session_uid IF NOT EXISTS FOR (n:Session) REQUIRE n.uid IS UNIQUE
;
CREATE CONSTRAINT graphmem_episode_uid IF NOT EXISTS FOR (n:Episode) REQUIRE n.uid IS UNIQUE
;
CREATE CONSTRAINT graphmem_entity_uid IF NOT EXISTS FOR (n:Entity) REQUIRE n.uid IS UNIQUE
;
CREATE CONSTRAINT graphmem_fact_uid IF NOT EXISTS FOR (n:Fact) REQUIRE n.uid IS UNIQUE
;
CREATE CONSTRAINT graphmem_insight_uid IF NOT EXISTS FOR (n:Insight) REQUIRE n.uid IS UNIQUE
;
CREATE INDEX graphmem_session_namespace IF NOT EXISTS FOR (n:Session) ON (n.namespace)
;
CREATE INDEX graphmem_episode_namespace IF NOT EXISTS FOR (n:Episode) ON (n.namespace)
;
CREATE INDEX graphmem_entity_namespace IF NOT EXISTS FOR (n:Entity) ON (n.namespace)
;
CREATE INDEX graphmem_fact_namespace IF NOT EXISTS FOR (n:Fact) ON (n.namespace)
;
CREATE INDEX graphmem_insight_namespace IF NOT EXISTS FOR (n:Insight) ON (n.namespace)
;
CREATE INDEX graphmem_fact_slot IF NOT EXISTS FOR (n:Fact) ON (n.namespace, n.subject_id, n.predicate, n.status)
;
CREATE INDEX graphmem_relates_fact_id IF NOT EXISTS FOR ()-[r:RELATES]-() ON (r.fact_id)
;
CREATE VECTOR INDEX graphmem_session_embedding IF NOT EXISTS FOR (n:Session) ON n.embedding
OPTIONS {indexConfig: {`vector.dimensions`: $dimension, `vector.similarity_function`: 'cosine'}}
;
CREATE VECTOR INDEX graphmem_episode_embedding IF NOT EXISTS FOR (n:Episode) ON n.embedding
OPTIONS {indexConfig: {`vector.dimensions`: $dimension, `vector.similarity_function`: 'cosine'}}
;
CREATE VECTOR INDEX graphmem_entity_embedding IF NOT EXISTS FOR (n:Entity) ON n.embedding
OPTIONS {indexConfig: {`vector.dimensions`: $dimension, `vector.similarity_function`: 'cosine'}}
;
CREATE VECTOR INDEX graphmem_fact_embedding IF NOT EXISTS FOR (n:Fact) ON n.embedding
OPTIONS {indexConfig: {`vector.dimensions`: $dimension, `vector.similarity_function`: 'cosine'}}
;
CREATE VECTOR INDEX graphmem_insight_embedding IF NOT EXISTS FOR (n:Insight) ON n.embedding
OPTIONS {indexConfig: {`vector.dimensions`: $dimension, `vector.similarity_function`: 'cosine'}}
;
CREATE FULLTEXT INDEX graphmem_session_text IF NOT EXISTS FOR (n:Session) ON EACH [n.title, n.goal]
;
CREATE FULLTEXT INDEX graphmem_episode_text IF NOT EXISTS FOR (n:Episode) ON EACH [n.search_text]
;
CREATE FULLTEXT INDEX graphmem_entity_text IF NOT EXISTS FOR (n:Entity) ON EACH [n.search_text]
;
CREATE FULLTEXT INDEX graphmem_fact_text IF NOT EXISTS FOR (n:Fact) ON EACH [n.text]
;
CREATE FULLTEXT INDEX graphmem_insight_text IF NOT EXISTS FOR (n:Insight) ON EACH [n.text]
