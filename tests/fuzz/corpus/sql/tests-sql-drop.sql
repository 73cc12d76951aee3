-- DROP QUERY stops a query and keeps its table; DROP STREAM forgets a stream,
-- which can then be declared again, differently.
CREATE STREAM lines (line TEXT) FROM FILE 'data/words.txt' FORMAT TEXT;
CREATE QUERY copy AS SELECT line FROM lines;
DROP QUERY copy;
DROP STREAM lines;
CREATE STREAM lines (text_line TEXT) FROM FILE 'data/words.txt' FORMAT TEXT;
CREATE QUERY total AS SELECT COUNT(*) AS n, MAX(length(text_line)) AS longest FROM lines;
-- expect: SELECT name FROM _sluice_queries
-- expect: SELECT name, sql FROM _sluice_streams
-- expect: SELECT n, longest FROM total
-- expect: SELECT count(*) FROM copy
