-- Nexmark q12, processing-time windows: nexmark/nexmark, nexmark-flink/.../queries/q12.sql
--   SELECT B.bidder, count(*) as bid_count, window_start, window_end
--   FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(p_time), INTERVAL '10' SECOND))
--   GROUP BY B.bidder, window_start, window_end;
-- Same shape: WITH (time = 'processing') windows by arrival time (the start of
-- the batch that read the row) instead of the stream's event time, as Flink's
-- PROCTIME() column p_time. Which window a bid lands in depends on the run, so
-- only the totals per bidder are reproducible.
CREATE QUERY q12 AS
  SELECT bidder, COUNT(*) AS bid_count, window_start, window_end
  FROM bid
  GROUP BY bidder
  WINDOW TUMBLING (SIZE 10 SECONDS)
  EMIT FINAL
  WITH (time = 'processing');
