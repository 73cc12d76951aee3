-- EXPLAIN of a name that is no running query.
CREATE STREAM lines (line TEXT) FROM FILE 'data/words.txt' FORMAT TEXT;
EXPLAIN lines;
