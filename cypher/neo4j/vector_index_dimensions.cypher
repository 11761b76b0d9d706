// vector_index_dimensions -- params: none -- returns: name, label, dimension
// The dimensions of graphmem's vector indexes as the server holds them: IF NOT EXISTS keeps an
// index made for another embedding model, so open() compares them with the encoder's dimension.
SHOW INDEXES YIELD name, type, labelsOrTypes, options
WHERE type = 'VECTOR' AND name STARTS WITH 'graphmem_'
RETURN name, labelsOrTypes[0] AS label, options.indexConfig.`vector.dimensions` AS dimension
