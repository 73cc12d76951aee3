-- DROP ... IF EXISTS, CREATE ... IF NOT EXISTS and CREATE OR REPLACE QUERY.
-- stdout
DROP STREAM IF EXISTS nope;
DROP QUERY IF EXISTS nope;
CREATE STREAM lines (line TEXT) FROM FILE 'data/words.txt' FORMAT TEXT;
-- a different definition: kept as it is, no error
CREATE STREAM IF NOT EXISTS lines (line TEXT) FROM STDIN FORMAT TEXT;
CREATE QUERY IF NOT EXISTS counts AS SELECT line, COUNT(*) AS n FROM lines GROUP BY line;
CREATE QUERY IF NOT EXISTS counts AS SELECT 1 AS other FROM lines;
-- replaced in the same statement: other columns, the old table dropped
CREATE OR REPLACE QUERY counts AS
  SELECT word, COUNT(*) AS n FROM lines, UNNEST(split(line, ' ')) AS word WHERE word <> '' GROUP BY 1;
-- OR REPLACE of a query that does not exist creates it
CREATE OR REPLACE QUERY longest AS SELECT MAX(length(line)) AS chars FROM lines;
SHOW STREAMS;
SHOW QUERIES;
CREATE QUERY gone AS SELECT line FROM lines;
DROP QUERY IF EXISTS gone;
DROP QUERY IF EXISTS gone;
-- expect: SELECT word, n FROM counts ORDER BY n DESC, word LIMIT 3
-- expect: SELECT name FROM pragma_table_info('counts')
-- expect: SELECT * FROM longest
-- expect: SELECT name FROM _sluice_queries ORDER BY name
