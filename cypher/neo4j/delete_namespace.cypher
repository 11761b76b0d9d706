// delete_namespace -- params: namespace -- every node of the namespace, with its relationships
// The label disjunction lets the planner scan the five graphmem labels instead of every node (Meta
// has no namespace and stays).
MATCH (n:Episode|Entity|Fact|Insight|Session)
WHERE n.namespace = $namespace
DETACH DELETE n
