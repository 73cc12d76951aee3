-- Top-N and deduplication (issue 16): ROW_NUMBER(), RANK() and DENSE_RANK()
-- OVER (PARTITION BY ... ORDER BY ...) in a derived table, kept to `rn <= N`
-- outside it, over a stream's rows (disordered by up to 2 s) and over
-- aggregations. Each result table is checked against SQLite's window
-- functions over the same rows (the oracle): ROW_NUMBER's ties go by arrival
-- (seq), the later first when the last ORDER BY key is DESC; between groups
-- by the group keys. Most queries read in small batches (max_batch_bytes), so
-- rows enter, move and leave the top N across batches.
CREATE STREAM bids (seq BIGINT, auction BIGINT, bidder BIGINT, price BIGINT, ts TIMESTAMP,
                    WATERMARK FOR ts AS ts - INTERVAL '3' SECOND)
  FROM FILE 'data/topn_bids.csv' FORMAT CSV (header = true);

-- The three highest bids of each auction (Nexmark q19), keyed by (auction, rn).
CREATE QUERY top3 AS
  SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) AS rn
                 FROM bids) WHERE rn <= 3
  WITH (max_batch_bytes = 1024);

-- RANK and DENSE_RANK keep ties; a stream's tied rows are keyed by all their columns.
CREATE QUERY ranked AS
  SELECT seq, auction, price, rk FROM (SELECT seq, auction, price,
      RANK() OVER (PARTITION BY auction ORDER BY price DESC) AS rk FROM bids) WHERE rk < 3
  WITH (max_batch_bytes = 2500);
CREATE QUERY dense AS
  SELECT seq, auction, price, dr FROM (SELECT seq, auction, price,
      DENSE_RANK() OVER (PARTITION BY auction ORDER BY price DESC) AS dr FROM bids) WHERE 2 >= dr;

-- Deduplication: each bidder's first bid by event time, and its latest (Nexmark q18).
CREATE QUERY first_bid AS
  SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder ORDER BY ts) AS rn FROM bids)
  WHERE rn = 1
  WITH (max_batch_bytes = 1024);
CREATE QUERY latest_bid AS
  SELECT bidder, seq, price FROM (SELECT bidder, seq, price,
      ROW_NUMBER() OVER (PARTITION BY bidder ORDER BY ts DESC) AS rn FROM bids) WHERE rn = 1
  WITH (max_batch_bytes = 2500);

-- Another condition on another column, ANDed: a row that stops passing it is deleted.
CREATE QUERY top3_big AS
  SELECT auction, seq, price, rn FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC, seq) AS rn
                 FROM bids) WHERE price >= 40 AND rn <= 3
  WITH (max_batch_bytes = 1024);

-- Hot items (Nexmark q5): per window the two auctions with the most bids, as
-- the counts change (EMIT CHANGES) and once per window (EMIT FINAL).
CREATE QUERY hot AS
  SELECT * FROM (SELECT window_start, window_end, auction, count(*) AS n,
      ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY count(*) DESC) AS rn
      FROM bids GROUP BY auction WINDOW TUMBLING (SIZE 10 SECONDS)) WHERE rn <= 2
  WITH (max_batch_bytes = 1024);
CREATE QUERY hot_final AS
  SELECT * FROM (SELECT window_start, window_end, auction, count(*) AS n,
      RANK() OVER (PARTITION BY window_start, window_end ORDER BY count(*) DESC) AS rk
      FROM bids GROUP BY auction WINDOW TUMBLING (SIZE 10 SECONDS) EMIT FINAL) WHERE rk <= 1
  WITH (max_batch_bytes = 2500);

-- A GROUP BY without a window: a group's new total replaces its old one in the ranking.
CREATE QUERY top_bidders AS
  SELECT bidder, total, rn FROM (SELECT bidder, sum(price) AS total,
      ROW_NUMBER() OVER (ORDER BY sum(price) DESC) AS rn FROM bids GROUP BY bidder) WHERE rn <= 3
  WITH (max_batch_bytes = 1024);

-- Groups whose value goes down as well as up (a signed sum) move in and out of
-- the top, and HAVING in the derived table deletes a group that passes 30 bids.
CREATE QUERY swings AS
  SELECT * FROM (SELECT auction, bidder, sum(CASE WHEN seq % 3 = 0 THEN -price ELSE price END) AS net,
      DENSE_RANK() OVER (PARTITION BY auction ORDER BY sum(CASE WHEN seq % 3 = 0 THEN -price ELSE price END) DESC) AS dr
      FROM bids GROUP BY auction, bidder HAVING count(*) <= 8) WHERE dr <= 2
  WITH (max_batch_bytes = 1024);

-- load: oracle(seq INTEGER, auction INTEGER, bidder INTEGER, price INTEGER, ts TEXT) data/topn_bids.csv
-- expect: SELECT auction, rn, seq, price FROM top3 ORDER BY auction, rn
-- expect: SELECT count(*) FROM (SELECT auction, rn, seq, price FROM top3 EXCEPT SELECT auction, rn, seq, price FROM (SELECT *, row_number() OVER (PARTITION BY auction ORDER BY price DESC, seq DESC) AS rn FROM oracle) WHERE rn <= 3)
-- expect: SELECT count(*) FROM (SELECT auction, rn, seq, price FROM (SELECT *, row_number() OVER (PARTITION BY auction ORDER BY price DESC, seq DESC) AS rn FROM oracle) WHERE rn <= 3 EXCEPT SELECT auction, rn, seq, price FROM top3)
-- expect: SELECT count(*), (SELECT count(*) FROM (SELECT * FROM ranked EXCEPT SELECT * FROM (SELECT seq, auction, price, rank() OVER (PARTITION BY auction ORDER BY price DESC) AS rk FROM oracle) WHERE rk < 3)) FROM (SELECT * FROM (SELECT seq, auction, price, rank() OVER (PARTITION BY auction ORDER BY price DESC) AS rk FROM oracle) WHERE rk < 3 EXCEPT SELECT * FROM ranked)
-- expect: SELECT count(*), (SELECT count(*) FROM (SELECT * FROM dense EXCEPT SELECT * FROM (SELECT seq, auction, price, dense_rank() OVER (PARTITION BY auction ORDER BY price DESC) AS dr FROM oracle) WHERE dr <= 2)) FROM (SELECT * FROM (SELECT seq, auction, price, dense_rank() OVER (PARTITION BY auction ORDER BY price DESC) AS dr FROM oracle) WHERE dr <= 2 EXCEPT SELECT * FROM dense)
-- expect: SELECT bidder, seq, rn FROM first_bid ORDER BY bidder
-- expect: SELECT count(*) FROM (SELECT bidder, seq FROM first_bid EXCEPT SELECT bidder, seq FROM (SELECT *, row_number() OVER (PARTITION BY bidder ORDER BY ts, seq) AS rn FROM oracle) WHERE rn = 1)
-- expect: SELECT count(*) FROM (SELECT bidder, seq, price FROM latest_bid EXCEPT SELECT bidder, seq, price FROM (SELECT *, row_number() OVER (PARTITION BY bidder ORDER BY ts DESC, seq DESC) AS rn FROM oracle) WHERE rn = 1)
-- expect: SELECT count(*), (SELECT count(*) FROM latest_bid) FROM (SELECT DISTINCT bidder FROM oracle)
-- expect: SELECT count(*), (SELECT count(*) FROM (SELECT * FROM top3_big EXCEPT SELECT auction, seq, price, rn FROM (SELECT *, row_number() OVER (PARTITION BY auction ORDER BY price DESC, seq) AS rn FROM oracle) WHERE price >= 40 AND rn <= 3)) FROM (SELECT auction, seq, price, rn FROM (SELECT *, row_number() OVER (PARTITION BY auction ORDER BY price DESC, seq) AS rn FROM oracle) WHERE price >= 40 AND rn <= 3 EXCEPT SELECT * FROM top3_big)
-- expect: SELECT * FROM hot ORDER BY window_start, rn
-- expect: SELECT count(*) FROM (SELECT window_start, auction, n, rn FROM hot EXCEPT SELECT ws, auction, n, rn FROM (SELECT ws, auction, n, row_number() OVER (PARTITION BY ws ORDER BY n DESC, auction) AS rn FROM (SELECT strftime('%Y-%m-%d %H:%M:%S', (CAST(strftime('%s', ts) AS INTEGER) / 10) * 10, 'unixepoch') || '.000000' AS ws, auction, count(*) AS n FROM oracle GROUP BY 1, 2)) WHERE rn <= 2)
-- expect: SELECT * FROM hot_final ORDER BY window_start, auction
-- expect: SELECT count(*) FROM (SELECT window_start, auction, n, rk FROM hot_final EXCEPT SELECT ws, auction, n, rk FROM (SELECT ws, auction, n, rank() OVER (PARTITION BY ws ORDER BY n DESC) AS rk FROM (SELECT strftime('%Y-%m-%d %H:%M:%S', (CAST(strftime('%s', ts) AS INTEGER) / 10) * 10, 'unixepoch') || '.000000' AS ws, auction, count(*) AS n FROM oracle GROUP BY 1, 2)) WHERE rk <= 1)
-- expect: SELECT * FROM top_bidders ORDER BY rn
-- expect: SELECT count(*) FROM (SELECT * FROM top_bidders EXCEPT SELECT * FROM (SELECT bidder, total, row_number() OVER (ORDER BY total DESC, bidder) AS rn FROM (SELECT bidder, sum(price) AS total FROM oracle GROUP BY bidder)) WHERE rn <= 3)
-- expect: SELECT name, pk FROM pragma_table_info('ranked') WHERE pk > 0 UNION ALL SELECT name, pk FROM pragma_table_info('hot') WHERE pk > 0 UNION ALL SELECT name, pk FROM pragma_table_info('latest_bid') WHERE pk > 0
-- expect: SELECT * FROM swings ORDER BY auction, dr, bidder
-- expect: SELECT count(*), (SELECT count(*) FROM (SELECT * FROM swings EXCEPT SELECT * FROM (SELECT auction, bidder, net, dense_rank() OVER (PARTITION BY auction ORDER BY net DESC) AS dr FROM (SELECT auction, bidder, sum(CASE WHEN seq % 3 = 0 THEN -price ELSE price END) AS net FROM oracle GROUP BY auction, bidder HAVING count(*) <= 8)) WHERE dr <= 2)) FROM (SELECT * FROM (SELECT auction, bidder, net, dense_rank() OVER (PARTITION BY auction ORDER BY net DESC) AS dr FROM (SELECT auction, bidder, sum(CASE WHEN seq % 3 = 0 THEN -price ELSE price END) AS net FROM oracle GROUP BY auction, bidder HAVING count(*) <= 8)) WHERE dr <= 2 EXCEPT SELECT * FROM swings)
