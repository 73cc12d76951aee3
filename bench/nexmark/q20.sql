-- Nexmark q20, expand bid with auction: nexmark/nexmark, nexmark-flink/.../queries/q20.sql
--   SELECT auction, bidder, price, channel, url, B.dateTime, B.extra,
--          itemName, description, initialBid, reserve, A.dateTime, expires, seller, category, A.extra
--   FROM bid AS B INNER JOIN auction AS A on B.auction = A.id
--   WHERE A.category = 10;
-- Flink's join is unbounded. Sluice bounds a join of two streams in time: the
-- bid at most 5 seconds before its auction (the generator names up to 10
-- auctions not yet created) or 1 minute after it (the hot auction and the
-- other 100 in flight). Over the generator's events at 50 events a second or
-- more no match falls outside that bound, so the table is Flink's
-- (q20.oracle.sql is Flink's unbounded join); the state is a minute of
-- auctions and 5 seconds of bids.
CREATE QUERY q20 AS
  SELECT B.auction, B.bidder, B.price, B.channel, B.url, B.date_time AS bid_date_time,
         B.extra AS bid_extra, A.item_name, A.description, A.initial_bid, A.reserve,
         A.date_time AS auction_date_time, A.expires, A.seller, A.category,
         A.extra AS auction_extra
  FROM bid B JOIN auction A
    ON B.auction = A.id
   AND B.date_time BETWEEN A.date_time - INTERVAL '5' SECOND AND A.date_time + INTERVAL '1' MINUTE
  WHERE A.category = 10;
