// bulk_copy -- params: none; {Table} is replaced by the path of a CSV file graphmem wrote (never user text)
// The bulk loader (graphmem/store/bulk.py): a batch of new nodes and their edges, copied table by table
// inside one transaction, in dependency order (nodes before the edges between them). Kuzu's CSV reader
// runs serially so quoted newlines parse; backslash escapes quotes inside strings.
COPY Session FROM '{Session}' (HEADER=false, PARALLEL=false, ESCAPE='\\')
;
COPY Episode FROM '{Episode}' (HEADER=false, PARALLEL=false, ESCAPE='\\')
;
COPY Entity FROM '{Entity}' (HEADER=false, PARALLEL=false, ESCAPE='\\')
;
COPY Fact FROM '{Fact}' (HEADER=false, PARALLEL=false, ESCAPE='\\')
;
COPY IN_SESSION FROM '{IN_SESSION}' (HEADER=false, PARALLEL=false, ESCAPE='\\')
;
COPY NEXT FROM '{NEXT}' (HEADER=false, PARALLEL=false, ESCAPE='\\')
;
COPY SUBJECT_OF FROM '{SUBJECT_OF}' (HEADER=false, PARALLEL=false, ESCAPE='\\')
;
COPY OBJECT FROM '{OBJECT}' (HEADER=false, PARALLEL=false, ESCAPE='\\')
;
COPY RELATES FROM '{RELATES}' (HEADER=false, PARALLEL=false, ESCAPE='\\')
;
COPY EVIDENCED_BY FROM '{EVIDENCED_BY}' (HEADER=false, PARALLEL=false, ESCAPE='\\')
;
COPY MENTIONS FROM '{MENTIONS}' (HEADER=false, PARALLEL=false, ESCAPE='\\')
;
COPY SUPERSEDES FROM '{SUPERSEDES}' (HEADER=false, PARALLEL=false, ESCAPE='\\')
