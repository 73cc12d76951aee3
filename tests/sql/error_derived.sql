-- mode: check
-- Derived tables: what cannot be composed with the outer SELECT is refused
-- where it is written (an aggregating derived table would need a changelog
-- input); names in the outer SELECT resolve against the derived table's columns.
CREATE STREAM lines (line TEXT) FROM FILE 'data/words.txt' FORMAT TEXT;
CREATE QUERY grouped AS SELECT w FROM (SELECT word AS w, count(*) AS n
  FROM lines, UNNEST(split(line, ' ')) AS word GROUP BY word) AS t;
CREATE QUERY counted AS SELECT n FROM (SELECT count(*) + 1 AS n FROM lines) t;
CREATE QUERY deep AS SELECT w FROM (SELECT * FROM (SELECT max(line) AS w FROM lines) a) b;
SELECT l FROM (SELECT line AS l FROM lines ORDER BY line LIMIT 5) t;
CREATE QUERY typo AS SELECT lenght FROM (SELECT line, length(line) AS length FROM lines) t;
CREATE QUERY far AS SELECT zzz FROM (SELECT line AS l, 1 AS one FROM lines) t;
CREATE QUERY inner_typo AS SELECT line FROM (SELECT line FROM lines WHERE lenght(line) > 1) t;
CREATE QUERY inner_stream AS SELECT line FROM (SELECT line FROM lnes) t;
CREATE QUERY qualified AS SELECT lines.line FROM (SELECT line FROM lines) t;
CREATE QUERY unnamed AS SELECT t.line FROM (SELECT line FROM lines);
CREATE QUERY ambiguous AS SELECT line FROM (SELECT line FROM lines) t, UNNEST(split(line, ' ')) AS line;
CREATE QUERY not_here AS SELECT word FROM (SELECT line FROM lines, UNNEST(split(line, ' ')) AS word) t;
