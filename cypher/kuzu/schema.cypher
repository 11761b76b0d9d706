// schema -- the Kuzu schema; run once on an empty database (idempotent through IF NOT EXISTS).
// Embeddings are plain FLOAT[] columns: Kuzu is their source of truth and vector search is served
// by a derived in-memory index rebuilt from them on open (see graphmem/store/vectors.py), because
// Kuzu's HNSW index caps ingestion near 200 inserts/s and its indexed columns cannot be updated.
// Full-text search is a derived BM25 index for the same reason of correctness (graphmem/store/lexical.py).
// Every node has uid = namespace + '/' + id as primary key, so ids never collide across namespaces.

CREATE NODE TABLE IF NOT EXISTS Meta(key STRING PRIMARY KEY, value STRING)
;
CREATE NODE TABLE IF NOT EXISTS Session(uid STRING PRIMARY KEY, id STRING, namespace STRING, title STRING,
  goal STRING, started_at TIMESTAMP, outcome STRING, score DOUBLE, embedding FLOAT[])
;
CREATE NODE TABLE IF NOT EXISTS Episode(uid STRING PRIMARY KEY, id STRING, namespace STRING, session_id STRING,
  seq INT64, speaker STRING, role STRING, content STRING, search_text STRING, occurred_at TIMESTAMP,
  ingested_at TIMESTAMP, source STRING, metadata STRING, embedding FLOAT[])
;
CREATE NODE TABLE IF NOT EXISTS Entity(uid STRING PRIMARY KEY, id STRING, namespace STRING, name STRING,
  key STRING, type STRING, aliases STRING[], alias_keys STRING[], search_text STRING, summary STRING,
  mention_count INT64, first_seen TIMESTAMP, last_seen TIMESTAMP, embedding FLOAT[])
;
CREATE NODE TABLE IF NOT EXISTS Fact(uid STRING PRIMARY KEY, id STRING, namespace STRING, subject_id STRING,
  predicate STRING, predicate_raw STRING, object_id STRING, object_value STRING, text STRING,
  polarity BOOLEAN, modality STRING, status STRING, valid_from TIMESTAMP, valid_to TIMESTAMP,
  recorded_at TIMESTAMP, invalidated_at TIMESTAMP, confidence DOUBLE, support INT64, access_count INT64,
  last_access TIMESTAMP, utility DOUBLE, embedding FLOAT[])
;
CREATE NODE TABLE IF NOT EXISTS Insight(uid STRING PRIMARY KEY, id STRING, namespace STRING, kind STRING,
  text STRING, score DOUBLE, created_at TIMESTAMP, stale BOOLEAN, utility DOUBLE, embedding FLOAT[])
;
CREATE REL TABLE IF NOT EXISTS SUBJECT_OF(FROM Entity TO Fact)
;
CREATE REL TABLE IF NOT EXISTS OBJECT(FROM Fact TO Entity)
;
CREATE REL TABLE IF NOT EXISTS RELATES(FROM Entity TO Entity, namespace STRING, fact_id STRING,
  predicate STRING, status STRING, valid_from TIMESTAMP, valid_to TIMESTAMP, recorded_at TIMESTAMP)
;
CREATE REL TABLE IF NOT EXISTS EVIDENCED_BY(FROM Fact TO Episode)
;
CREATE REL TABLE IF NOT EXISTS MENTIONS(FROM Episode TO Entity)
;
CREATE REL TABLE IF NOT EXISTS IN_SESSION(FROM Episode TO Session)
;
CREATE REL TABLE IF NOT EXISTS NEXT(FROM Episode TO Episode)
;
CREATE REL TABLE IF NOT EXISTS SUPERSEDES(FROM Fact TO Fact, reason STRING, rule STRING, at TIMESTAMP,
  old_status STRING)
;
CREATE REL TABLE IF NOT EXISTS SIMILAR(FROM Entity TO Entity, score DOUBLE)
;
CREATE REL TABLE IF NOT EXISTS DERIVED_FROM(FROM Insight TO Fact, FROM Insight TO Episode,
  FROM Insight TO Entity, FROM Insight TO Session)
