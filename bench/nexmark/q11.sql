-- Nexmark q11, user sessions: nexmark/nexmark, nexmark-flink/.../queries/q11.sql
--   SELECT B.bidder, count(*) as bid_count,
--          SESSION_START(B.dateTime, INTERVAL '10' SECOND) as starttime,
--          SESSION_END(B.dateTime, INTERVAL '10' SECOND) as endtime
--   FROM bid B GROUP BY B.bidder, SESSION(B.dateTime, INTERVAL '10' SECOND);
-- Same shape: a session per bidder closes after 10 seconds without a bid;
-- window_start/window_end are the session's first bid and last bid + 10 s,
-- as Flink's SESSION_START/SESSION_END.
CREATE QUERY q11 AS
  SELECT bidder, COUNT(*) AS bid_count, window_start AS starttime, window_end AS endtime
  FROM bid
  GROUP BY bidder
  WINDOW SESSION (GAP 10 SECONDS)
  EMIT FINAL;
