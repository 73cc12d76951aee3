-- Window joins: the rows of both streams in the same tumbling window, keys
-- equal, aggregated per window; INNER and LEFT (a bid alone in its window
-- counts once, its auction's columns NULL), against SQLite
-- (join_window_hopping.sql: a HOPPING window join is refused).
CREATE STREAM bids (id INTEGER, auction INTEGER, price INTEGER, ts TIMESTAMP,
                    WATERMARK FOR ts AS ts - INTERVAL '3' SECOND)
  FROM FILE 'data/join_bids.csv' FORMAT CSV (header = true);
CREATE STREAM auctions (id INTEGER, seller TEXT, ts TIMESTAMP,
                        WATERMARK FOR ts AS ts - INTERVAL '3' SECOND)
  FROM FILE 'data/join_auctions.csv' FORMAT CSV (header = true);
CREATE QUERY wj AS
  SELECT b.auction, COUNT(*) AS pairs, SUM(b.price) AS total, MIN(a.seller) AS seller
  FROM bids b JOIN auctions a ON b.auction = a.id
  GROUP BY b.auction WINDOW TUMBLING (SIZE 10 SECONDS) EMIT FINAL;
CREATE QUERY lwj AS
  SELECT b.auction, COUNT(*) AS n, COUNT(a.id) AS matched
  FROM bids b LEFT JOIN auctions a ON b.auction = a.id AND a.seller <> 'bob'
  GROUP BY b.auction WINDOW TUMBLING (SIZE 10 SECONDS);
-- load: rb(id INTEGER, auction INTEGER, price INTEGER, ts TEXT) data/join_bids.csv
-- load: ra(id INTEGER, seller TEXT, ts TEXT) data/join_auctions.csv
-- expect: CREATE VIEW ob AS SELECT id, nullif(auction, '') AS auction, price, CAST(strftime('%s', ts) AS INTEGER) AS t FROM rb WHERE id <> 999
-- expect: CREATE VIEW oa AS SELECT id, nullif(seller, '') AS seller, CAST(strftime('%s', ts) AS INTEGER) AS t FROM ra
-- expect: SELECT * FROM wj ORDER BY window_start, auction
-- expect: SELECT sum(pairs), (SELECT count(*) FROM ob b JOIN oa a ON b.auction = a.id AND b.t / 10 = a.t / 10) FROM wj
-- expect: SELECT count(*) FROM (SELECT CAST(strftime('%s', window_start) AS INTEGER), auction, pairs, total, seller FROM wj EXCEPT SELECT b.t / 10 * 10, b.auction, count(*), sum(b.price), min(a.seller) FROM ob b JOIN oa a ON b.auction = a.id AND b.t / 10 = a.t / 10 GROUP BY b.t / 10, b.auction)
-- expect: SELECT count(*) FROM (SELECT CAST(strftime('%s', window_start) AS INTEGER), auction, n, matched FROM lwj EXCEPT SELECT b.t / 10 * 10, b.auction, count(*), count(a.id) FROM ob b LEFT JOIN oa a ON b.auction = a.id AND b.t / 10 = a.t / 10 AND a.seller <> 'bob' GROUP BY b.t / 10, b.auction)
-- expect: SELECT sum(n), (SELECT count(*) FROM ob b LEFT JOIN oa a ON b.auction = a.id AND b.t / 10 = a.t / 10 AND a.seller <> 'bob') FROM lwj
