// meta_get -- params: key -- returns: value
MATCH (m:Meta {key: $key}) RETURN m.value AS value
