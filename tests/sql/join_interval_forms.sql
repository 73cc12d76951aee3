-- Interval joins in other shapes, each against SQLite's join of the same
-- rows: derived tables as both sides (a filter and a computed column before
-- the join), a stream joined with itself (each bid with the later bids on
-- its auction within 5 s), and a lookup join of a SQLite table after the
-- join of two streams, read over the joined row.
-- setup: CREATE TABLE sellers (name TEXT PRIMARY KEY, country TEXT)
-- setup: INSERT INTO sellers VALUES ('alice', 'fr'), ('bob', 'it'), ('dave', 'de')
CREATE STREAM bids (id INTEGER, auction INTEGER, price INTEGER, ts TIMESTAMP,
                    WATERMARK FOR ts AS ts - INTERVAL '3' SECOND)
  FROM FILE 'data/join_bids.csv' FORMAT CSV (header = true);
CREATE STREAM auctions (id INTEGER, seller TEXT, ts TIMESTAMP,
                        WATERMARK FOR ts AS ts - INTERVAL '3' SECOND)
  FROM FILE 'data/join_auctions.csv' FORMAT CSV (header = true);
CREATE QUERY derived AS
  SELECT x.id, x.cents, y.seller
  FROM (SELECT id, auction, price * 100 AS cents, ts FROM bids WHERE price >= 30) x
  JOIN (SELECT id, upper(seller) AS seller, ts FROM auctions WHERE seller IS NOT NULL) y
    ON x.auction = y.id AND x.ts BETWEEN y.ts AND y.ts + INTERVAL '10' SECOND;
CREATE QUERY self AS
  SELECT a.id, b.id AS later
  FROM bids a JOIN bids b
    ON a.auction = b.auction AND b.ts > a.ts AND b.ts <= a.ts + INTERVAL '5' SECOND;
CREATE QUERY with_lookup AS
  SELECT b.id, a.seller, s.country
  FROM bids b JOIN auctions a
    ON b.auction = a.id AND b.ts BETWEEN a.ts AND a.ts + INTERVAL '10' SECOND
  LEFT JOIN sellers s ON s.name = a.seller;
-- load: rb(id INTEGER, auction INTEGER, price INTEGER, ts TEXT) data/join_bids.csv
-- load: ra(id INTEGER, seller TEXT, ts TEXT) data/join_auctions.csv
-- expect: CREATE VIEW ob AS SELECT id, nullif(auction, '') AS auction, price, CAST(strftime('%s', ts) AS INTEGER) AS t FROM rb WHERE id <> 999
-- expect: CREATE VIEW oa AS SELECT id, nullif(seller, '') AS seller, CAST(strftime('%s', ts) AS INTEGER) AS t FROM ra
-- expect: SELECT count(*), (SELECT count(*) FROM ob x JOIN oa y ON x.auction = y.id AND x.t BETWEEN y.t AND y.t + 10 WHERE x.price >= 30 AND y.seller IS NOT NULL) FROM derived
-- expect: SELECT count(*) FROM (SELECT * FROM derived EXCEPT SELECT x.id, x.price * 100, upper(y.seller) FROM ob x JOIN oa y ON x.auction = y.id AND x.t BETWEEN y.t AND y.t + 10 WHERE x.price >= 30 AND y.seller IS NOT NULL)
-- expect: SELECT count(*), (SELECT count(*) FROM ob a JOIN ob b ON a.auction = b.auction AND b.t > a.t AND b.t <= a.t + 5) FROM self
-- expect: SELECT count(*) FROM (SELECT * FROM self EXCEPT SELECT a.id, b.id FROM ob a JOIN ob b ON a.auction = b.auction AND b.t > a.t AND b.t <= a.t + 5)
-- expect: SELECT country, count(*) FROM with_lookup GROUP BY country ORDER BY country
-- expect: SELECT count(*) FROM (SELECT * FROM with_lookup EXCEPT SELECT b.id, a.seller, s.country FROM ob b JOIN oa a ON b.auction = a.id AND b.t BETWEEN a.t AND a.t + 10 LEFT JOIN sellers s ON s.name = a.seller)
