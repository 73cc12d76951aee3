-- Nexmark q4, average price per category: nexmark/nexmark, nexmark-flink/.../queries/q4.sql
--   SELECT Q.category, AVG(Q.final)
--   FROM (SELECT MAX(B.price) AS final, A.category
--         FROM auction A, bid B
--         WHERE A.id = B.auction AND B.dateTime BETWEEN A.dateTime AND A.expires
--         GROUP BY A.id, A.category) Q
--   GROUP BY Q.category;
-- The inner aggregate is here: each auction's winning price, the highest bid
-- made while it was open. The outer average is a read of the table (Sluice's
-- derived tables take appended rows, not the changing rows of an aggregate):
--   SELECT category, AVG(final) FROM q4 GROUP BY category;
-- which the correctness check compares with Flink's whole query
-- (q4.oracle.sql). A bid must fall within its auction's life: Sluice bounds a
-- join of two streams by a constant, so the bound is the auction's start to 1
-- minute after it, and expires is a further condition. The generator's
-- auctions close within 2 x 1667 events of opening (33 s at 100 events a
-- second), so the minute cuts nothing at 56 events a second or more.
CREATE QUERY q4 AS
  SELECT A.id, A.category, MAX(B.price) AS final
  FROM auction A JOIN bid B
    ON A.id = B.auction
   AND B.date_time BETWEEN A.date_time AND A.date_time + INTERVAL '1' MINUTE
   AND B.date_time <= A.expires
  GROUP BY A.id, A.category;
