-- Nexmark q15, bidding statistics report: nexmark/nexmark, nexmark-flink/.../queries/q15.sql
--   SELECT DATE_FORMAT(dateTime, 'yyyy-MM-dd') as `day`,
--          count(*) AS total_bids,
--          count(*) filter (where price < 10000) AS rank1_bids,
--          count(*) filter (where price >= 10000 and price < 1000000) AS rank2_bids,
--          count(*) filter (where price >= 1000000) AS rank3_bids,
--          count(distinct bidder) AS total_bidders, ... the same three filters ...,
--          count(distinct auction) AS total_auctions, ... the same three filters ...
--   FROM bid GROUP BY DATE_FORMAT(dateTime, 'yyyy-MM-dd');
-- Same query; DATE_FORMAT(t, 'yyyy-MM-dd') is strftime('%Y-%m-%d', t). An
-- unbounded GROUP BY (a table upserted every batch), as in Flink.
CREATE QUERY q15 AS
  SELECT strftime('%Y-%m-%d', date_time) AS day,
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
  GROUP BY day;
