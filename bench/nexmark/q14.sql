-- Nexmark q14, calculation: nexmark/nexmark, nexmark-flink/.../queries/q14.sql
--   SELECT auction, bidder, 0.908 * price as price,
--          CASE WHEN HOUR(dateTime) >= 8 AND HOUR(dateTime) <= 18 THEN 'dayTime'
--               WHEN HOUR(dateTime) <= 6 OR HOUR(dateTime) >= 20 THEN 'nightTime'
--               ELSE 'otherTime' END AS bidTimeType,
--          dateTime, extra, count_char(extra, 'c') AS c_counts
--   FROM bid WHERE 0.908 * price > 1000000 AND 0.908 * price < 50000000;
-- Differences forced by the dialect: HOUR(t) is CAST(strftime('%H', t) AS
-- INTEGER); Flink's UDF count_char(extra, 'c') is written with built-ins,
-- length(extra) - length(replace(extra, 'c', '')); price is a REAL, not a
-- DECIMAL(23, 3) (see q1).
CREATE QUERY q14 AS
  SELECT auction, bidder, 0.908 * price AS price,
         CASE WHEN CAST(strftime('%H', date_time) AS INTEGER) BETWEEN 8 AND 18 THEN 'dayTime'
              WHEN CAST(strftime('%H', date_time) AS INTEGER) <= 6
                OR CAST(strftime('%H', date_time) AS INTEGER) >= 20 THEN 'nightTime'
              ELSE 'otherTime' END AS bid_time_type,
         date_time, extra, length(extra) - length(replace(extra, 'c', '')) AS c_counts
  FROM bid
  WHERE 0.908 * price > 1000000 AND 0.908 * price < 50000000;
