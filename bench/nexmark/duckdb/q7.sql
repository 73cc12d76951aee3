-- q7 in DuckDB (bench/nexmark/q7.sql): each 10-second window's highest price;
-- time_bucket's buckets of 10 s fall on the same bounds as Sluice's epoch-aligned windows.
CREATE TABLE q7 AS
  SELECT time_bucket(INTERVAL 10 SECOND, date_time) AS window_start,
         time_bucket(INTERVAL 10 SECOND, date_time) + INTERVAL 10 SECOND AS window_end,
         max(price) AS maxprice
  FROM bid GROUP BY 1, 2;
