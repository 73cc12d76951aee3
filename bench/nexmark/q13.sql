-- Nexmark q13, bounded side input join: nexmark/nexmark, nexmark-flink/.../queries/q13.sql
--   SELECT B.auction, B.bidder, B.price, B.dateTime, S.value
--   FROM (SELECT *, PROCTIME() as p_time FROM bid) B
--   JOIN side_input FOR SYSTEM_TIME AS OF B.p_time AS S
--   ON mod(B.auction, 10000) = S.key;
-- The side input is a table in Sluice's database, side_input (key, value),
-- filled by q13.setup.sql as Flink's side_input_gen.sh writes its file (10 000
-- rows). A lookup join: each batch reads the table as it was when the batch
-- began, as FOR SYSTEM_TIME AS OF the processing time does; the lookups go
-- through its primary key. % for Flink's MOD.
CREATE QUERY q13 AS
  SELECT B.auction, B.bidder, B.price, B.date_time, S.value
  FROM bid B JOIN side_input S ON B.auction % 10000 = S.key;
