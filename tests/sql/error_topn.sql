-- mode: check
-- Top-N forms Sluice refuses, each with what to write instead.
CREATE STREAM bids (auction BIGINT, bidder BIGINT, price BIGINT, ts TIMESTAMP,
                    WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
  FROM FILE 'data/bids.csv' FORMAT CSV (header = true);
-- No bound outside: unbounded.
CREATE QUERY e1 AS SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) AS rn FROM bids);
-- A bound that keeps nothing, and one that keeps too much.
CREATE QUERY e2 AS SELECT * FROM (SELECT *, ROW_NUMBER() OVER (ORDER BY price) AS rn FROM bids) WHERE rn < 1;
CREATE QUERY e2b AS SELECT * FROM (SELECT *, ROW_NUMBER() OVER (ORDER BY price) AS rn FROM bids) WHERE rn <= 1000000;
-- Another window function, and a ranking without ORDER BY.
CREATE QUERY e3 AS SELECT * FROM (SELECT *, NTILE() OVER (ORDER BY price) AS rn FROM bids) WHERE rn <= 3;
CREATE QUERY e4 AS SELECT * FROM (SELECT *, RANK() OVER (PARTITION BY auction) AS rn FROM bids) WHERE rn <= 3;
-- A window function with arguments.
SELECT sum(price) OVER (PARTITION BY auction) FROM bids;
-- A ranking inside an expression, and two in one SELECT.
CREATE QUERY e5 AS SELECT * FROM (SELECT auction, ROW_NUMBER() OVER (ORDER BY price) + 1 AS r FROM bids) WHERE r <= 3;
CREATE QUERY e5b AS SELECT * FROM (SELECT auction, RANK() OVER (ORDER BY price) AS a, RANK() OVER (ORDER BY bidder) AS b FROM bids) WHERE a <= 3;
-- Aggregating the top N outside.
CREATE QUERY e6 AS SELECT count(*) FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price) AS rn FROM bids) WHERE rn <= 3;
-- A top-N of groups whose keys are not selected.
CREATE QUERY e7 AS SELECT n FROM (SELECT auction, count(*) AS n, RANK() OVER (ORDER BY count(*) DESC) AS rk FROM bids GROUP BY auction) WHERE rk <= 3;
-- A top-N into a stream.
CREATE STREAM e8 AS SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price) AS rn FROM bids) WHERE rn <= 3;
