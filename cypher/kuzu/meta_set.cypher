// meta_set -- params: key, value
MERGE (m:Meta {key: $key}) ON CREATE SET m.value = $value ON MATCH SET m.value = $value
