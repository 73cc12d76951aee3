-- Nexmark q9, winning bids: nexmark/nexmark, nexmark-flink/.../queries/q9.sql
--   SELECT id, itemName, description, initialBid, reserve, dateTime, expires, seller, category,
--          extra, auction, bidder, price, bid_dateTime, bid_extra
--   FROM (SELECT A.*, B.auction, B.bidder, B.price, B.dateTime AS bid_dateTime, B.extra AS bid_extra,
--                ROW_NUMBER() OVER (PARTITION BY A.id ORDER BY B.price DESC, B.dateTime ASC) AS rownum
--         FROM auction A, bid B
--         WHERE A.id = B.auction AND B.dateTime BETWEEN A.dateTime AND A.expires)
--   WHERE rownum <= 1;
-- The same top-1 over the join, whose bound is a constant as Sluice requires
-- of a join of two streams: the auction's start to 1 minute after it, with
-- expires a further condition (see q4.sql: the minute cuts nothing at 56
-- events a second or more).
CREATE QUERY q9 AS
  SELECT id, item_name, description, initial_bid, reserve, date_time, expires, seller, category,
         extra, auction, bidder, price, bid_date_time, bid_extra
  FROM (SELECT A.*, B.auction, B.bidder, B.price, B.date_time AS bid_date_time,
               B.extra AS bid_extra,
               ROW_NUMBER() OVER (PARTITION BY A.id ORDER BY B.price DESC, B.date_time ASC) AS rownum
        FROM auction A JOIN bid B
          ON A.id = B.auction
         AND B.date_time BETWEEN A.date_time AND A.date_time + INTERVAL '1' MINUTE
         AND B.date_time <= A.expires)
  WHERE rownum <= 1;
