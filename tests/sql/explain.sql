-- EXPLAIN: the operator pipeline, one operator a line with the columns it
-- produces. A SELECT is planned but not started; a query's name explains
-- the running query's pipeline.
-- stdout
CREATE STREAM lines (line TEXT) FROM FILE 'data/words.txt' FORMAT TEXT;
CREATE STREAM vals (id INT, i BIGINT, r REAL, t TEXT)
  FROM FILE 'data/expr_values.csv' FORMAT CSV (header = true, null = 'NA');
EXPLAIN SELECT id, t FROM vals WHERE i > 0 AND t IS NOT NULL;
EXPLAIN SELECT line, upper(word) AS w FROM lines CROSS JOIN UNNEST(split(line, ' ')) AS word;
EXPLAIN SELECT word, COUNT(*) AS n FROM lines, UNNEST(split(line, ' ')) AS word
  WHERE word <> '' GROUP BY word HAVING COUNT(*) > 1 AND max(length(word)) < 10;
-- A derived table composes: its operators, then the outer SELECT's over its outputs.
EXPLAIN SELECT w, count(*) AS n
  FROM (SELECT lower(line) AS l FROM (SELECT line FROM lines WHERE line <> '') AS a) AS t,
       UNNEST(split(t.l, ' ')) AS w
  WHERE w <> 'the' GROUP BY w;
CREATE QUERY totals AS SELECT t, SUM(r) AS total, COUNT(*) FROM vals GROUP BY 1;
EXPLAIN totals;
-- expect: SELECT count(*) FROM sqlite_master WHERE name LIKE '_sluice_live%'
