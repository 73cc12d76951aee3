-- Nexmark q16, channel statistics report: nexmark/nexmark, nexmark-flink/.../queries/q16.sql
--   SELECT channel, DATE_FORMAT(dateTime, 'yyyy-MM-dd') as `day`,
--          max(DATE_FORMAT(dateTime, 'HH:mm')) as `minute`,
--          ... the twelve counts of q15 ...
--   FROM bid GROUP BY channel, DATE_FORMAT(dateTime, 'yyyy-MM-dd');
-- Same query; DATE_FORMAT(t, 'HH:mm') is strftime('%H:%M', t).
CREATE QUERY q16 AS
  SELECT channel,
         strftime('%Y-%m-%d', date_time) AS day,
         MAX(strftime('%H:%M', date_time)) AS minute,
         COUNT(*) AS total_bids,
         COUNT(*) FILTER (WHERE price < 10000) AS rank1_bids,
         COUNT(*) FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_bids,
         COUNT(*) FILTER (WHERE price >= 1000000) AS rank3_bids,
         COUNT(DISTINCT bidder) AS total_bidders,
         COUNT(DISTINCT bidder) FILTER (WHERE price < 10000) AS rank1_bidders,
         COUNT(DISTINCT bidder) FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_bidders,
         COUNT(DISTINCT bidder) FILTER (WHERE price >= 1000000) AS rank3_bidders,
         COUNT(DISTINCT auction) AS total_auctions,
         COUNT(DISTINCT auction) FILTER (WHERE price < 10000) AS rank1_auctions,
         COUNT(DISTINCT auction) FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_auctions,
         COUNT(DISTINCT auction) FILTER (WHERE price >= 1000000) AS rank3_auctions
  FROM bid
  GROUP BY channel, day;
