-- Nexmark q2, selection: nexmark/nexmark, nexmark-flink/.../queries/q2.sql
--   SELECT auction, price FROM bid WHERE MOD(auction, 123) = 0;
-- Stateless filter; MOD(a, b) is written a % b (SQLite's operator, same result
-- for the positive auction ids).
CREATE QUERY q2 AS
  SELECT auction, price FROM bid WHERE auction % 123 = 0;
