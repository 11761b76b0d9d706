// smoke
RETURN 1 AS ok
