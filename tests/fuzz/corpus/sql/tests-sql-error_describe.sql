-- DESCRIBE of a name that is neither a stream nor a query.
CREATE STREAM lines (line TEXT) FROM FILE 'data/words.txt' FORMAT TEXT;
DESCRIBE nope;
