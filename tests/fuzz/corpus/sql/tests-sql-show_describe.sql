-- SHOW STREAMS, SHOW QUERIES and DESCRIBE answer as tables on stdout.
-- stdout
CREATE STREAM lines (line TEXT) FROM FILE 'data/words.txt' FORMAT TEXT;
CREATE STREAM vals (id INT, i BIGINT, r REAL, t TEXT)
  FROM FILE 'data/expr_values.csv' FORMAT CSV (header = true, null = 'NA');
CREATE QUERY word_counts AS
  SELECT word, COUNT(*) AS n, MAX(length(word)) AS longest
  FROM lines, UNNEST(split(line, ' ')) AS word
  GROUP BY word;
CREATE QUERY positive AS SELECT id, i * 2 AS twice FROM vals WHERE i > 0;
SHOW STREAMS;
SHOW QUERIES;
DESCRIBE lines;
DESCRIBE vals;
DESCRIBE word_counts;
describe positive;
