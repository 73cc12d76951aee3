-- HAVING after GROUP BY, checked against SQLite's GROUP BY ... HAVING over
-- the same rows (the oracle). It may use aggregates that are not selected
-- and select-list aliases. That a group failing HAVING after it was written
-- is deleted is shown by tests/unit/test_ops_having.c (a file is read in
-- one batch here).
CREATE STREAM bids (auction BIGINT, bidder BIGINT, price BIGINT, ts TIMESTAMP)
  FROM FILE 'data/bids.csv' FORMAT CSV (header = true);
CREATE QUERY busy AS
  SELECT auction, COUNT(*) AS bids, MAX(price) AS high
  FROM bids
  GROUP BY auction
  HAVING bids >= 2 AND MIN(price) > 10 OR SUM(price) > 1000;
-- load: oracle(auction INTEGER, bidder INTEGER, price INTEGER, ts TEXT) data/bids.csv
-- expect: SELECT * FROM busy ORDER BY auction
-- expect: SELECT count(*) FROM (SELECT auction, bids, high FROM busy EXCEPT SELECT auction, count(*) AS bids, max(price) FROM oracle GROUP BY auction HAVING bids >= 2 AND min(price) > 10 OR sum(price) > 1000)
-- expect: SELECT count(*) FROM (SELECT auction, count(*) AS bids, max(price) FROM oracle GROUP BY auction HAVING bids >= 2 AND min(price) > 10 OR sum(price) > 1000 EXCEPT SELECT auction, bids, high FROM busy)
