-- Errors of the statement forms: a query created twice without OR REPLACE;
-- after it, the rest is only checked: SHOW of something unknown, EXPLAIN of
-- a SELECT that does not bind, a GROUP BY ordinal out of range or naming an
-- aggregate, and a HAVING that is not a condition.
CREATE STREAM lines (line TEXT) FROM FILE 'data/words.txt' FORMAT TEXT;
CREATE QUERY q AS SELECT line FROM lines;
CREATE QUERY q AS SELECT line FROM lines WHERE line <> '';
SHOW TABLE;
EXPLAIN SELECT nope FROM lines;
SELECT line, COUNT(*) FROM lines GROUP BY 3;
SELECT line, COUNT(*) FROM lines GROUP BY 2;
SELECT line FROM lines GROUP BY line HAVING 'x';
