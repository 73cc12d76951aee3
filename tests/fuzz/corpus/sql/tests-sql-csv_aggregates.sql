-- COUNT, SUM, MIN, MAX and AVG per key over CSV input, checked against
-- SQLite's own GROUP BY over the same rows (the oracle: no difference).
CREATE STREAM bids (auction BIGINT, bidder BIGINT, price BIGINT, ts TIMESTAMP)
  FROM FILE 'data/bids.csv' FORMAT CSV (header = true);
CREATE QUERY per_auction AS
  SELECT auction, COUNT(*) AS bids, SUM(price) AS total, MIN(price) AS low,
         MAX(price) AS high, AVG(price) AS mean, MAX(ts) AS last_bid,
         SUM(price) * 2 + 1 AS expr
  FROM bids
  GROUP BY auction;
-- load: oracle data/bids.csv
-- expect: SELECT * FROM per_auction ORDER BY auction
-- expect: SELECT count(*) FROM (SELECT auction, bids, total, low, high, mean, expr FROM per_auction EXCEPT SELECT CAST(auction AS INTEGER), count(*), sum(CAST(price AS INTEGER)), min(CAST(price AS INTEGER)), max(CAST(price AS INTEGER)), avg(CAST(price AS INTEGER)), sum(CAST(price AS INTEGER)) * 2 + 1 FROM oracle GROUP BY 1)
-- expect: SELECT typeof(auction), typeof(bids), typeof(total), typeof(mean), typeof(last_bid) FROM per_auction LIMIT 1
