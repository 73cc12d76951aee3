-- GROUP BY ordinals, FROM stream AS alias with alias.column, and
-- CROSS JOIN UNNEST as a synonym of ", UNNEST", against SQLite's answers.
CREATE STREAM bids (auction BIGINT, bidder BIGINT, price BIGINT, ts TIMESTAMP)
  FROM FILE 'data/bids.csv' FORMAT CSV (header = true);
CREATE STREAM lines (line TEXT) FROM FILE 'data/words.txt' FORMAT TEXT;
CREATE QUERY by_ordinal AS
  SELECT b.auction % 2 AS parity, COUNT(*) AS n, SUM(b.price) AS total
  FROM bids AS b WHERE b.price > 0 GROUP BY 1;
CREATE QUERY cross_words AS
  SELECT w, COUNT(*) AS n FROM lines l CROSS JOIN UNNEST(split(l.line, ' ')) AS w
  WHERE w <> '' GROUP BY w;
CREATE QUERY comma_words AS
  SELECT w, COUNT(*) AS n FROM lines, UNNEST(split(line, ' ')) AS w WHERE w <> '' GROUP BY w;
-- load: oracle(auction INTEGER, bidder INTEGER, price INTEGER, ts TEXT) data/bids.csv
-- expect: SELECT * FROM by_ordinal ORDER BY parity
-- expect: SELECT auction % 2, count(*), sum(price) FROM oracle WHERE price > 0 GROUP BY 1 ORDER BY 1
-- expect: SELECT count(*) FROM (SELECT * FROM cross_words EXCEPT SELECT * FROM comma_words)
-- expect: SELECT count(*) = (SELECT count(*) FROM comma_words) FROM cross_words
