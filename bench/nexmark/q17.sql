-- Nexmark q17, auction statistics report: nexmark/nexmark, nexmark-flink/.../queries/q17.sql
--   SELECT auction, DATE_FORMAT(dateTime, 'yyyy-MM-dd') as `day`,
--          count(*) AS total_bids,
--          count(*) filter (where price < 10000) AS rank1_bids,
--          count(*) filter (where price >= 10000 and price < 1000000) AS rank2_bids,
--          count(*) filter (where price >= 1000000) AS rank3_bids,
--          min(price) AS min_price, max(price) AS max_price,
--          avg(price) AS avg_price, sum(price) AS sum_price
--   FROM bid GROUP BY auction, DATE_FORMAT(dateTime, 'yyyy-MM-dd');
-- Same query, but avg(price) is a REAL here where Flink's avg of a BIGINT is
-- a BIGINT (truncated).
CREATE QUERY q17 AS
  SELECT auction,
         strftime('%Y-%m-%d', date_time) AS day,
         COUNT(*) AS total_bids,
         COUNT(*) FILTER (WHERE price < 10000) AS rank1_bids,
         COUNT(*) FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_bids,
         COUNT(*) FILTER (WHERE price >= 1000000) AS rank3_bids,
         MIN(price) AS min_price,
         MAX(price) AS max_price,
         AVG(price) AS avg_price,
         SUM(price) AS sum_price
  FROM bid
  GROUP BY auction, day;
