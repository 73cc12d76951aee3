-- CASCADE and EXTENDED stay usable as names: a stream called extended, a query
-- and a column called cascade (DESCRIBE extended is of the stream).
-- stdout
CREATE STREAM extended (cascade TEXT) FROM FILE 'data/words.txt' FORMAT TEXT;
CREATE QUERY cascade AS SELECT cascade FROM extended;
DESCRIBE extended;
DROP STREAM extended CASCADE;
-- expect: SELECT name FROM _sluice_streams
-- expect: SELECT name FROM _sluice_queries
