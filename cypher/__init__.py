"""Named Cypher queries, one folder per dialect (shipped inside the wheel as graphmem.cypher)."""
