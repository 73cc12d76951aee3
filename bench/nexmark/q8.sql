-- Nexmark q8, monitor new users: nexmark/nexmark, nexmark-flink/.../queries/q8.sql
--   SELECT P.id, P.name, P.starttime
--   FROM (SELECT id, name, window_start AS starttime, window_end AS endtime
--           FROM TABLE(TUMBLE(TABLE person, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
--          GROUP BY id, name, window_start, window_end) P
--   JOIN (SELECT seller, window_start AS starttime, window_end AS endtime
--           FROM TABLE(TUMBLE(TABLE auction, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
--          GROUP BY seller, window_start, window_end) A
--     ON P.id = A.seller AND P.starttime = A.starttime AND P.endtime = A.endtime;
-- A window join of the two streams (both rows in the same 10-second window)
-- grouped by person and window, so that a person who opened several auctions
-- in the window is one row, as Flink's GROUP BY seller makes it. The window's
-- end is a column too (a windowed aggregate's table is keyed by both bounds).
CREATE QUERY q8 AS
  SELECT P.id, P.name, window_start AS starttime, window_end AS endtime
  FROM person P JOIN auction A ON P.id = A.seller
  GROUP BY P.id, P.name
  WINDOW TUMBLING (SIZE 10 SECONDS);
