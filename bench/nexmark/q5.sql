-- Nexmark q5, hot items: nexmark/nexmark, nexmark-flink/.../queries/q5.sql
--   SELECT auction, num FROM
--     (SELECT auction, count(*) AS num, window_start AS starttime, window_end AS endtime
--        FROM TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
--       GROUP BY auction, window_start, window_end) AuctionBids
--   JOIN (SELECT max(num) AS maxn, starttime, endtime FROM (the same) GROUP BY starttime, endtime) MaxBids
--     ON same window AND AuctionBids.num >= MaxBids.maxn;
-- Written as the top-N form RisingWave's q5_rewrite uses: RANK() over each
-- window's counts, rank 1, which keeps every auction tied for the highest
-- count as Flink's num >= maxn does; the count is ranked in the SELECT that
-- counts (Sluice ranks an aggregation's groups there). The rows also carry
-- their window (Flink's output has auction and num only).
CREATE QUERY q5 AS
  SELECT window_start, window_end, auction, num
  FROM (SELECT window_start, window_end, auction, COUNT(*) AS num,
               RANK() OVER (PARTITION BY window_start, window_end ORDER BY COUNT(*) DESC) AS rk
        FROM bid
        GROUP BY auction
        WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 2 SECONDS)
        EMIT FINAL)
  WHERE rk <= 1;
