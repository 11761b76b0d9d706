// await_indexes -- params: timeout_s -- waits until every index is online (new indexes populate in the background)
CALL db.awaitIndexes($timeout_s)
