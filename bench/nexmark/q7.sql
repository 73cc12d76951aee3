-- Nexmark q7, highest bid: nexmark/nexmark, nexmark-flink/.../queries/q7.sql
--   SELECT B.auction, B.bidder, B.price, B.dateTime, B.extra FROM bid B
--   JOIN (SELECT MAX(price) AS maxprice, window_end AS dateTime
--           FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
--          GROUP BY window_start, window_end) B1
--     ON B.price = B1.maxprice
--   WHERE B.dateTime BETWEEN B1.dateTime - INTERVAL '10' SECOND AND B1.dateTime;
-- Only the tumbling-window maximum is here: Sluice has no joins yet, so the
-- join back to the bid(s) at that price (their auction, bidder, time, extra)
-- is missing; the table holds each 10-second window's highest price.
CREATE QUERY q7 AS
  SELECT window_start, window_end, MAX(price) AS maxprice
  FROM bid
  WINDOW TUMBLING (SIZE 10 SECONDS)
  EMIT FINAL;
