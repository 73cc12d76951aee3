-- Interval joins of two streams (op_stream_join.c), INNER and LEFT, over rows
-- out of order by up to the watermarks' delay, checked against SQLite's join
-- of the same rows (times in seconds). One bid comes 30 s behind its stream's
-- watermark: it is late, counted and joined with nothing (the oracle leaves it
-- out). A bid with no auction (NULL key) matches nothing: a LEFT join emits it.
CREATE STREAM bids (id INTEGER, auction INTEGER, price INTEGER, ts TIMESTAMP,
                    WATERMARK FOR ts AS ts - INTERVAL '3' SECOND)
  FROM FILE 'data/join_bids.csv' FORMAT CSV (header = true);
CREATE STREAM auctions (id INTEGER, seller TEXT, ts TIMESTAMP,
                        WATERMARK FOR ts AS ts - INTERVAL '3' SECOND)
  FROM FILE 'data/join_auctions.csv' FORMAT CSV (header = true);
CREATE QUERY ij AS
  SELECT b.id, b.price, a.id AS auction, a.seller
  FROM bids b JOIN auctions a
    ON b.auction = a.id AND b.ts BETWEEN a.ts AND a.ts + INTERVAL '10' SECOND;
CREATE QUERY lj AS
  SELECT b.id, b.price * 2 AS p2, a.seller
  FROM bids b LEFT OUTER JOIN auctions a
    ON b.auction = a.id AND b.ts BETWEEN a.ts - INTERVAL '2' SECOND AND a.ts + INTERVAL '6' SECOND
   AND a.seller <> 'carol'
  WHERE b.price > 20;
-- The stream on the left of the ON's times may be either: here the auction's.
CREATE QUERY rj AS
  SELECT a.id, a.seller, b.id AS bid
  FROM auctions a LEFT JOIN bids b
    ON a.id = b.auction AND b.ts > a.ts AND b.ts <= a.ts + INTERVAL '3' SECOND;
-- load: rb(id INTEGER, auction INTEGER, price INTEGER, ts TEXT) data/join_bids.csv
-- load: ra(id INTEGER, seller TEXT, ts TEXT) data/join_auctions.csv
-- expect: CREATE VIEW ob AS SELECT id, nullif(auction, '') AS auction, price, CAST(strftime('%s', ts) AS INTEGER) AS t FROM rb WHERE id <> 999
-- expect: CREATE VIEW oa AS SELECT id, nullif(seller, '') AS seller, CAST(strftime('%s', ts) AS INTEGER) AS t FROM ra
-- expect: SELECT * FROM ij ORDER BY id, auction
-- expect: SELECT count(*) FROM ij
-- expect: SELECT count(*) FROM (SELECT * FROM ij EXCEPT SELECT b.id, b.price, a.id, a.seller FROM ob b JOIN oa a ON b.auction = a.id AND b.t BETWEEN a.t AND a.t + 10)
-- expect: SELECT count(*) - (SELECT count(*) FROM ij) FROM ob b JOIN oa a ON b.auction = a.id AND b.t BETWEEN a.t AND a.t + 10
-- expect: SELECT count(*), count(seller), sum(seller IS NULL) FROM lj
-- expect: SELECT count(*) FROM (SELECT * FROM lj EXCEPT SELECT b.id, b.price * 2, a.seller FROM ob b LEFT JOIN oa a ON b.auction = a.id AND b.t BETWEEN a.t - 2 AND a.t + 6 AND a.seller <> 'carol' WHERE b.price > 20)
-- expect: SELECT count(*) - (SELECT count(*) FROM lj) FROM ob b LEFT JOIN oa a ON b.auction = a.id AND b.t BETWEEN a.t - 2 AND a.t + 6 AND a.seller <> 'carol' WHERE b.price > 20
-- expect: SELECT count(*) FROM (SELECT * FROM rj EXCEPT SELECT a.id, a.seller, b.id FROM oa a LEFT JOIN ob b ON a.id = b.auction AND b.t > a.t AND b.t <= a.t + 3)
-- expect: SELECT count(*) - (SELECT count(*) FROM rj) FROM oa a LEFT JOIN ob b ON a.id = b.auction AND b.t > a.t AND b.t <= a.t + 3
-- expect: SELECT query, sum(late_rows) FROM _sluice_progress GROUP BY query ORDER BY query
-- expect: SELECT query, count(*) FROM _sluice_state WHERE length(key) > 0 GROUP BY query
