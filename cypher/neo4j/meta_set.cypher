// meta_set -- params: key, value
// The uniqueness constraint on Meta.key makes concurrent first opens agree on one node.
MERGE (m:Meta {key: $key}) ON CREATE SET m.value = $value ON MATCH SET m.value = $value
