-- q5 in DuckDB (bench/nexmark/q5.sql): bids counted per auction and 2-second
-- slice, each slice added to the five 10-second windows that hold it, then
-- each window's auctions with its highest count (rank 1). time_bucket's 2-second
-- buckets fall on the same bounds as Sluice's epoch-aligned windows.
CREATE TABLE q5 AS
  WITH slices AS (SELECT auction, time_bucket(INTERVAL 2 SECOND, date_time) AS slice,
                         count(*) AS n
                  FROM bid GROUP BY ALL),
       counts AS (SELECT slice - to_seconds(k * 2) AS ws, auction, sum(n) AS num
                  FROM slices, range(5) AS hop(k) GROUP BY ALL)
  SELECT ws AS window_start, ws + INTERVAL 10 SECOND AS window_end, auction, num
  FROM counts
  QUALIFY rank() OVER (PARTITION BY ws ORDER BY num DESC) = 1;
