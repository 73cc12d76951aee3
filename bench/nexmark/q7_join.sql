-- Nexmark q7 as Flink writes it, with the join back (q7.sql is the top-N form
-- Sluice runs as q7): nexmark/nexmark, nexmark-flink/.../queries/q7.sql
--   SELECT B.auction, B.price, B.bidder, B.dateTime, B.extra FROM bid B
--   JOIN (SELECT MAX(price) AS maxprice, window_end AS dateTime
--           FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
--          GROUP BY window_start, window_end) B1
--     ON B.price = B1.maxprice
--   WHERE B.dateTime BETWEEN B1.dateTime - INTERVAL '10' SECOND AND B1.dateTime;
-- The same join in two statements, since Sluice joins a stream with streams
-- and tables, not with an aggregation's rows: the stream q7_join_max carries each
-- window's maximum (EMIT FINAL: a row a window, its event time window_end),
-- and q7 joins the bids back to it by an interval join on that time, both
-- ends included as in Flink's BETWEEN. Columns in the order Flink's sink
-- declares them (auction, bidder, price, ...); Flink's SELECT lists price
-- before bidder, so its sink's bidder column holds the price.
CREATE STREAM q7_join_max AS
  SELECT window_start, window_end, MAX(price) AS maxprice
  FROM bid
  WINDOW TUMBLING (SIZE 10 SECONDS)
  EMIT FINAL;
CREATE QUERY q7_join AS
  SELECT B.auction, B.bidder, B.price, B.date_time, B.extra
  FROM bid B JOIN q7_join_max B1
    ON B.price = B1.maxprice
   AND B.date_time BETWEEN B1.window_end - INTERVAL '10' SECOND AND B1.window_end;
