-- EXPLAIN of windowed aggregations: on event time the watermark comes
-- first, before the filter, because rows a WHERE drops advance it too.
-- stdout
CREATE STREAM bids (auction BIGINT, bidder BIGINT, price BIGINT, ts TIMESTAMP,
                    WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)
  FROM FILE 'data/bids.csv' FORMAT CSV (header = true);
EXPLAIN SELECT window_start, window_end, auction, MAX(price) AS top, COUNT(*) AS bids
  FROM bids WHERE price > 0 GROUP BY auction
  WINDOW HOPPING (SIZE 1 MINUTE, ADVANCE BY 10 SECONDS, GRACE PERIOD 500 MILLISECONDS)
  EMIT FINAL;
EXPLAIN SELECT bidder, COUNT(*) AS n FROM bids GROUP BY bidder
  WINDOW SESSION (GAP 30 SECONDS) HAVING COUNT(*) > 1;
