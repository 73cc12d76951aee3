-- mode: check
-- Wrong arguments to the aggregates of docs/sql.md's Aggregates table, DISTINCT
-- where it has no meaning yet, and FILTER where it does not apply.
CREATE STREAM bids (auction BIGINT, bidder TEXT, price BIGINT, ts TIMESTAMP)
  FROM FILE 'data/bids.csv' FORMAT CSV (header = true);
CREATE QUERY e1 AS SELECT auction, collect_list(DISTINCT price) FROM bids GROUP BY auction;
CREATE QUERY e2 AS SELECT auction, approx_percentile(price) FROM bids GROUP BY auction;
CREATE QUERY e3 AS SELECT auction, approx_percentile(price, 1.5) FROM bids GROUP BY auction;
CREATE QUERY e4 AS SELECT auction, approx_percentile(price, price / 100) FROM bids GROUP BY auction;
CREATE QUERY e5 AS SELECT auction, var_pop(bidder) FROM bids GROUP BY auction;
CREATE QUERY e6 AS SELECT auction, stddev_samp(price, 2) FROM bids GROUP BY auction;
CREATE QUERY e7 AS SELECT auction, earliest(*) FROM bids GROUP BY auction;
CREATE QUERY e8 AS SELECT auction, upper(bidder) FILTER (WHERE price > 1) FROM bids GROUP BY auction;
CREATE QUERY e9 AS SELECT auction, COUNT(*) FILTER (WHERE MAX(price) > 1) FROM bids GROUP BY auction;
CREATE QUERY e10 AS SELECT auction, SUM(price) FILTER (WHERE prize > 1) FROM bids GROUP BY auction;
CREATE QUERY e11 AS SELECT auction, collect_list(split(bidder, ',')) FROM bids GROUP BY auction;
CREATE QUERY e12 AS SELECT auction, approx_percentile(price, 'half') FROM bids GROUP BY auction;
CREATE QUERY e13 AS SELECT auction, approx_count_distinct(DISTINCT price) FROM bids GROUP BY auction;
