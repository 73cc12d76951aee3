-- Aggregates over an interval join: GROUP BY over the joined rows, with a
-- tumbling window (EMIT FINAL) and without, INNER and LEFT, against SQLite.
-- The window closes by the join's watermark — the lower side's, held back by
-- the interval — so no joined row is late for it: every pair is counted.
CREATE STREAM bids (id INTEGER, auction INTEGER, price INTEGER, ts TIMESTAMP,
                    WATERMARK FOR ts AS ts - INTERVAL '3' SECOND)
  FROM FILE 'data/join_bids.csv' FORMAT CSV (header = true);
CREATE STREAM auctions (id INTEGER, seller TEXT, ts TIMESTAMP,
                        WATERMARK FOR ts AS ts - INTERVAL '3' SECOND)
  FROM FILE 'data/join_auctions.csv' FORMAT CSV (header = true);
CREATE QUERY per_seller AS
  SELECT a.seller, COUNT(*) AS bids, SUM(b.price) AS total, MAX(b.price) AS top
  FROM bids b JOIN auctions a
    ON b.auction = a.id AND b.ts BETWEEN a.ts AND a.ts + INTERVAL '10' SECOND
  GROUP BY a.seller;
CREATE QUERY per_window AS
  SELECT a.seller, COUNT(*) AS bids, COUNT(a.id) AS matched, SUM(b.price) AS total
  FROM bids b LEFT JOIN auctions a
    ON b.auction = a.id AND b.ts BETWEEN a.ts AND a.ts + INTERVAL '10' SECOND
  GROUP BY a.seller WINDOW TUMBLING (SIZE 20 SECONDS) EMIT FINAL;
-- load: rb(id INTEGER, auction INTEGER, price INTEGER, ts TEXT) data/join_bids.csv
-- load: ra(id INTEGER, seller TEXT, ts TEXT) data/join_auctions.csv
-- expect: CREATE VIEW ob AS SELECT id, nullif(auction, '') AS auction, price, CAST(strftime('%s', ts) AS INTEGER) AS t FROM rb WHERE id <> 999
-- expect: CREATE VIEW oa AS SELECT id, nullif(seller, '') AS seller, CAST(strftime('%s', ts) AS INTEGER) AS t FROM ra
-- expect: SELECT * FROM per_seller ORDER BY seller
-- expect: SELECT count(*) FROM (SELECT * FROM per_seller EXCEPT SELECT a.seller, count(*), sum(b.price), max(b.price) FROM ob b JOIN oa a ON b.auction = a.id AND b.t BETWEEN a.t AND a.t + 10 GROUP BY a.seller)
-- expect: SELECT * FROM per_window ORDER BY window_start, seller
-- expect: SELECT count(*) FROM (SELECT CAST(strftime('%s', window_start) AS INTEGER), seller, bids, matched, total FROM per_window EXCEPT SELECT b.t / 20 * 20, a.seller, count(*), count(a.id), sum(b.price) FROM ob b LEFT JOIN oa a ON b.auction = a.id AND b.t BETWEEN a.t AND a.t + 10 GROUP BY b.t / 20, a.seller)
-- expect: SELECT (SELECT sum(bids) FROM per_window), (SELECT count(*) FROM ob)
-- expect: SELECT query, sum(late_rows) FROM _sluice_progress GROUP BY query ORDER BY query
