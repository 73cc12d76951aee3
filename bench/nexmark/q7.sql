-- Nexmark q7, highest bid: nexmark/nexmark, nexmark-flink/.../queries/q7.sql
--   SELECT B.auction, B.price, B.bidder, B.dateTime, B.extra FROM bid B
--   JOIN (SELECT MAX(price) AS maxprice, window_end AS dateTime
--           FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
--          GROUP BY window_start, window_end) B1
--     ON B.price = B1.maxprice
--   WHERE B.dateTime BETWEEN B1.dateTime - INTERVAL '10' SECOND AND B1.dateTime;
-- The same rows as a top-N, as RisingWave writes q7: the bids ranked first by
-- price in their 10-second window. Flink's join keeps every bid until its
-- window's maximum is known; the top-N keeps each window's best bid (and its
-- ties) only. The window is the text of the bid's time up to its tens of
-- seconds ('2026-01-01 00:00:4' is [00:00:40, 00:00:50)): exact to the
-- microsecond, where SQLite's date functions round a time to milliseconds.
-- One difference from Flink's BETWEEN, both ends included: a bid exactly on
-- a window's end is in the next window only, not matched against both.
-- q7_join.sql is Flink's join back, written with Sluice's interval join.
-- Columns in the order Flink's sink declares them (auction, bidder, price, ...).
CREATE QUERY q7 AS
  SELECT auction, bidder, price, date_time, extra FROM (
    SELECT auction, bidder, price, date_time, extra,
           RANK() OVER (PARTITION BY substr(CAST(date_time AS TEXT), 1, 18)
                        ORDER BY price DESC) AS rk
    FROM bid)
  WHERE rk <= 1;
