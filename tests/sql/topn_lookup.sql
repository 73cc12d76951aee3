-- Top-N over a lookup join (issues 16's two halves): a derived table joins
-- each bid with its auction's category from a SQLite table and ranks the
-- bids per category, by itself and aggregated per category and bidder; each
-- table checked against SQLite's join and window functions over the same rows.
-- (A join of the top N itself, outside, is refused: its rows change.)
-- setup: CREATE TABLE auctions (id INTEGER PRIMARY KEY, category TEXT)
-- setup: INSERT INTO auctions VALUES (1, 'art'), (2, 'art'), (3, 'books'), (4, 'cars')
-- load: oracle(seq INTEGER, auction INTEGER, bidder INTEGER, price INTEGER, ts TEXT) data/topn_bids.csv
CREATE STREAM bids (seq BIGINT, auction BIGINT, bidder BIGINT, price BIGINT, ts TIMESTAMP,
                    WATERMARK FOR ts AS ts - INTERVAL '3' SECOND)
  FROM FILE 'data/topn_bids.csv' FORMAT CSV (header = true);

CREATE QUERY top_per_category AS
  SELECT category, seq, price, rn FROM (
    SELECT a.category, b.seq, b.price,
           ROW_NUMBER() OVER (PARTITION BY a.category ORDER BY b.price DESC, b.seq) AS rn
    FROM bids b JOIN auctions a ON a.id = b.auction) WHERE rn <= 2
  WITH (max_batch_bytes = 1024);
CREATE QUERY big_spenders AS
  SELECT category, bidder, total, rk FROM (
    SELECT a.category, b.bidder, sum(b.price) AS total,
           RANK() OVER (PARTITION BY a.category ORDER BY sum(b.price) DESC) AS rk
    FROM bids b JOIN auctions a ON a.id = b.auction GROUP BY a.category, b.bidder) WHERE rk <= 1
  WITH (max_batch_bytes = 1024);
-- expect: SELECT * FROM top_per_category ORDER BY category, rn
-- expect: SELECT count(*), (SELECT count(*) FROM (SELECT * FROM top_per_category EXCEPT SELECT * FROM (SELECT a.category, b.seq, b.price, row_number() OVER (PARTITION BY a.category ORDER BY b.price DESC, b.seq) AS rn FROM oracle b JOIN auctions a ON a.id = b.auction) WHERE rn <= 2)) FROM (SELECT * FROM (SELECT a.category, b.seq, b.price, row_number() OVER (PARTITION BY a.category ORDER BY b.price DESC, b.seq) AS rn FROM oracle b JOIN auctions a ON a.id = b.auction) WHERE rn <= 2 EXCEPT SELECT * FROM top_per_category)
-- expect: SELECT * FROM big_spenders ORDER BY category, bidder
-- expect: SELECT count(*), (SELECT count(*) FROM (SELECT * FROM big_spenders EXCEPT SELECT * FROM (SELECT category, bidder, total, rank() OVER (PARTITION BY category ORDER BY total DESC) AS rk FROM (SELECT a.category, b.bidder, sum(b.price) AS total FROM oracle b JOIN auctions a ON a.id = b.auction GROUP BY 1, 2)) WHERE rk <= 1)) FROM (SELECT * FROM (SELECT category, bidder, total, rank() OVER (PARTITION BY category ORDER BY total DESC) AS rk FROM (SELECT a.category, b.bidder, sum(b.price) AS total FROM oracle b JOIN auctions a ON a.id = b.auction GROUP BY 1, 2)) WHERE rk <= 1 EXCEPT SELECT * FROM big_spenders)
