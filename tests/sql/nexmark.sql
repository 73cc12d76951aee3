-- NEXMARK: 10 000 events of the global sequence, read as each kind (200 persons,
-- 600 auctions, 9 200 bids); ids dense from 1000, event time 1/rate second an
-- event (bids at 2 000 a second: five 1-second windows). No FORMAT: the connector's own.
CREATE STREAM person (id BIGINT, name TEXT, email_address TEXT, credit_card TEXT, city TEXT,
                      state TEXT, date_time TIMESTAMP, extra TEXT)
  FROM NEXMARK WITH (kind = 'person', events = 10000, seed = 3);
CREATE STREAM auction (id BIGINT, item_name TEXT, description TEXT, initial_bid BIGINT,
                       reserve BIGINT, date_time TIMESTAMP, expires TIMESTAMP, seller BIGINT,
                       category BIGINT, extra TEXT)
  FROM NEXMARK WITH (kind = 'auction', events = 10000, seed = 3);
CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel TEXT, url TEXT,
                   date_time TIMESTAMP, extra TEXT,
                   WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND)
  FROM NEXMARK WITH (kind = 'bid', events = 10000, rate = 2000, seed = 3);
-- The same bids permuted within groups of 50: the same totals.
CREATE STREAM bid_ooo (auction BIGINT, bidder BIGINT, price BIGINT, channel TEXT, url TEXT,
                       date_time TIMESTAMP, extra TEXT)
  FROM NEXMARK WITH (kind = 'bid', events = 10000, seed = 3, out_of_order = 50);
CREATE QUERY persons AS
  SELECT state, COUNT(*) AS n, MIN(id) AS lo, MAX(id) AS hi, MIN(date_time) AS first,
         MAX(date_time) AS last, MIN(LENGTH(extra)) > 0 AS padded
  FROM person GROUP BY state;
CREATE QUERY auctions AS
  SELECT category, COUNT(*) AS n, MIN(id) AS lo, MAX(id) AS hi, SUM(reserve > initial_bid) AS above,
         SUM(expires > date_time) AS later
  FROM auction GROUP BY category;
CREATE QUERY bids AS
  SELECT price >= 1000000 AS high, COUNT(*) AS n, SUM(price) AS total, MIN(price) AS low,
         MAX(price) AS top, MIN(date_time) AS first, MAX(date_time) AS last
  FROM bid GROUP BY price >= 1000000;
CREATE QUERY bids_ooo AS
  SELECT price >= 1000000 AS high, COUNT(*) AS n, SUM(price) AS total
  FROM bid_ooo GROUP BY price >= 1000000;
CREATE QUERY per_second AS
  SELECT window_start, COUNT(*) AS n, MAX(price) AS top
  FROM bid GROUP BY 1 WINDOW TUMBLING (SIZE 1 SECOND);
-- expect: SELECT * FROM persons ORDER BY state
-- expect: SELECT sum(n), min(lo), max(hi) FROM persons
-- expect: SELECT * FROM auctions ORDER BY category
-- expect: SELECT sum(n), min(lo), max(hi) FROM auctions
-- expect: SELECT * FROM bids ORDER BY high
-- expect: SELECT a.high, a.n = b.n, a.total = b.total FROM bids a JOIN bids_ooo b USING (high) ORDER BY a.high
-- expect: SELECT * FROM per_second ORDER BY window_start
