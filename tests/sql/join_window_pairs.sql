-- A window join the SELECT does not aggregate: each pair once per window
-- both rows are in, with window_start and window_end; a LEFT row alone in
-- a window goes out once for that window (its right columns NULL) when the
-- right's watermark closes it, one with a NULL key at once, in its window.
-- TUMBLING and HOPPING, against SQLite.
CREATE STREAM bids (id INTEGER, auction INTEGER, price INTEGER, ts TIMESTAMP,
                    WATERMARK FOR ts AS ts - INTERVAL '3' SECOND)
  FROM FILE 'data/join_bids.csv' FORMAT CSV (header = true);
CREATE STREAM auctions (id INTEGER, seller TEXT, ts TIMESTAMP,
                        WATERMARK FOR ts AS ts - INTERVAL '3' SECOND)
  FROM FILE 'data/join_auctions.csv' FORMAT CSV (header = true);
CREATE QUERY tumbling AS
  SELECT b.id, a.seller, window_start, window_end
  FROM bids b LEFT JOIN auctions a ON b.auction = a.id WINDOW TUMBLING (SIZE 10 SECONDS);
CREATE QUERY hopping AS
  SELECT b.id, a.id AS auction, window_start
  FROM bids b JOIN auctions a ON b.auction = a.id
  WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 5 SECONDS);
-- load: rb(id INTEGER, auction INTEGER, price INTEGER, ts TEXT) data/join_bids.csv
-- load: ra(id INTEGER, seller TEXT, ts TEXT) data/join_auctions.csv
-- expect: CREATE VIEW ob AS SELECT id, nullif(auction, '') AS auction, price, CAST(strftime('%s', ts) AS INTEGER) AS t FROM rb WHERE id <> 999
-- expect: CREATE VIEW oa AS SELECT id, nullif(seller, '') AS seller, CAST(strftime('%s', ts) AS INTEGER) AS t FROM ra
-- expect: CREATE VIEW hop AS SELECT b.id, a.id AS auction, b.t / 5 * 5 - d AS ws FROM ob b JOIN oa a ON b.auction = a.id JOIN (SELECT 0 AS d UNION ALL SELECT 5) ON a.t >= b.t / 5 * 5 - d AND a.t < b.t / 5 * 5 - d + 10
-- expect: SELECT * FROM tumbling ORDER BY id LIMIT 12
-- expect: SELECT count(*), count(seller), (SELECT count(*) FROM ob b LEFT JOIN oa a ON b.auction = a.id AND b.t / 10 = a.t / 10) FROM tumbling
-- expect: SELECT count(*) FROM (SELECT id, seller, CAST(strftime('%s', window_start) AS INTEGER), CAST(strftime('%s', window_end) AS INTEGER) FROM tumbling EXCEPT SELECT b.id, a.seller, b.t / 10 * 10, b.t / 10 * 10 + 10 FROM ob b LEFT JOIN oa a ON b.auction = a.id AND b.t / 10 = a.t / 10)
-- expect: SELECT count(*), (SELECT count(*) FROM hop) FROM hopping
-- expect: SELECT count(*) FROM (SELECT id, auction, CAST(strftime('%s', window_start) AS INTEGER) FROM hopping EXCEPT SELECT * FROM hop)
