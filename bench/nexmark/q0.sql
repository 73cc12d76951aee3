-- Nexmark q0, pass through: nexmark/nexmark, nexmark-flink/src/main/resources/queries/q0.sql
--   SELECT auction, bidder, price, dateTime, extra FROM bid;
-- Measures the source and the framework: every bid is appended to the table q0
-- (Flink writes to a blackhole sink; here each row is committed to SQLite).
CREATE QUERY q0 AS
  SELECT auction, bidder, price, date_time, extra FROM bid;
