-- Nexmark q18, find last bid: nexmark/nexmark, nexmark-flink/.../queries/q18.sql
--   SELECT auction, bidder, price, channel, url, dateTime, extra
--   FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder, auction ORDER BY dateTime DESC)
--                     AS rank_number
--         FROM bid)
--   WHERE rank_number <= 1;
-- The same keep-latest deduplication: a row per bidder and auction, replaced
-- when a later bid (by event time) comes.
CREATE QUERY q18 AS
  SELECT auction, bidder, price, channel, url, date_time, extra
  FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder, auction ORDER BY date_time DESC)
                    AS rank_number
        FROM bid)
  WHERE rank_number <= 1;
