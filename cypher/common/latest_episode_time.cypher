// latest_episode_time -- params: namespace -- returns: t (occurred_at of the namespace's latest episode; null when it has none)
MATCH (e:Episode)
WHERE e.namespace = $namespace
RETURN max(e.occurred_at) AS t
