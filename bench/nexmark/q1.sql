-- Nexmark q1, currency conversion: nexmark/nexmark, nexmark-flink/.../queries/q1.sql
--   SELECT auction, bidder, 0.908 * price as price, dateTime, extra FROM bid;
-- Stateless projection. Flink's 0.908 * price is a DECIMAL(23, 3); Sluice has no
-- DECIMAL, so the price is a REAL (a double, as SQLite computes it).
CREATE QUERY q1 AS
  SELECT auction, bidder, 0.908 * price AS price, date_time, extra FROM bid;
