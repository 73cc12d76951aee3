-- mode: check
-- An empty quoted name ("") is refused wherever a name goes, as PostgreSQL
-- refuses it: a stream, a query, a column, an alias (issue 17: "" used to be
-- taken as a stream's name, and the hint for a misspelt one then said `did
-- you mean ""?`).
CREATE STREAM lines (line TEXT) FROM FILE 'data/words.txt' FORMAT TEXT;
CREATE STREAM "" (line TEXT) FROM FILE 'data/words.txt' FORMAT TEXT;
CREATE STREAM s2 ("" TEXT) FROM FILE 'data/words.txt' FORMAT TEXT;
CREATE QUERY "" AS SELECT line FROM lines;
CREATE QUERY q AS SELECT line AS "" FROM lines;
CREATE QUERY q2 AS SELECT "".line FROM lines;
