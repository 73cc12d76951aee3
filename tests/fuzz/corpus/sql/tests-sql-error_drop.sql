-- A stream read by a query cannot be dropped; unknown names are errors.
-- The statements after the first error are checked but not run.
CREATE STREAM lines (line TEXT) FROM FILE 'data/words.txt' FORMAT TEXT;
CREATE QUERY copy AS SELECT line FROM lines;
DROP STREAM lines;
DROP QUERY nope;
DROP STREAM nope;
CREATE STREAM lines (line TEXT, n INTEGER) FROM FILE 'data/words.txt' FORMAT CSV;
-- expect: SELECT count(*) FROM copy
