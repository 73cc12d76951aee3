-- Nexmark q5, hot items: nexmark/nexmark, nexmark-flink/.../queries/q5.sql
--   SELECT auction, num FROM
--     (SELECT auction, count(*) AS num, window_start AS starttime, window_end AS endtime
--        FROM TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
--       GROUP BY auction, window_start, window_end) AuctionBids
--   JOIN (SELECT max(num) AS maxn, starttime, endtime FROM (the same) GROUP BY starttime, endtime) MaxBids
--     ON same window AND AuctionBids.num >= MaxBids.maxn;
-- Only the inner sliding-window count is here: Sluice has no joins and no
-- top-N yet, so the table holds every auction's bid count per 10-second window
-- advancing by 2 seconds, not just each window's hottest auction(s). The
-- hottest per window is a read of the table:
--   SELECT * FROM q5 WHERE (window_start, num) IN
--     (SELECT window_start, max(num) FROM q5 GROUP BY window_start);
CREATE QUERY q5 AS
  SELECT window_start, window_end, auction, COUNT(*) AS num
  FROM bid
  GROUP BY auction
  WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 2 SECONDS)
  EMIT FINAL;
