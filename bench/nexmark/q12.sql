-- Nexmark q12, processing-time windows: nexmark/nexmark, nexmark-flink/.../queries/q12.sql
--   CREATE VIEW B AS SELECT *, PROCTIME() as p_time FROM bid;
--   SELECT bidder, count(*) as bid_count, window_start AS starttime, window_end AS endtime
--   FROM TABLE(TUMBLE(TABLE B, DESCRIPTOR(p_time), INTERVAL '10' SECOND))
--   GROUP BY bidder, window_start, window_end;
-- Same shape: WITH (time = 'processing') windows by arrival time (the start of
-- the batch that read the row) instead of the stream's event time, as Flink's
-- PROCTIME() column p_time. Which window a bid lands in depends on the run, so
-- only the totals per bidder are reproducible.
CREATE QUERY q12 AS
  SELECT bidder, COUNT(*) AS bid_count, window_start AS starttime, window_end AS endtime
  FROM bid
  GROUP BY bidder
  WINDOW TUMBLING (SIZE 10 SECONDS)
  EMIT FINAL
  WITH (time = 'processing');
