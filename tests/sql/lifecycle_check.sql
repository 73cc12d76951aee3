-- mode: check
-- PAUSE QUERY, RESUME QUERY and PRINT bind as `run` would run them (check runs
-- no CREATE QUERY, so any query name is taken); a FILE source that matches no
-- file is reported where the query reads it, as `run` reports it when the
-- query starts.
CREATE STREAM words (word TEXT) FROM FILE 'data/words.txt' FORMAT TEXT;
CREATE QUERY counts AS SELECT word, count(*) AS n FROM words GROUP BY word;
PAUSE QUERY counts;
RESUME QUERY counts;
PRINT words;
PRINT words LIMIT 2;
PRINT wrods;
CREATE STREAM gone (word TEXT) FROM FILE '/nonexistent/words-*.txt' FORMAT TEXT;
CREATE QUERY from_gone AS SELECT word FROM gone;
SELECT word FROM gone;
PRINT gone;
