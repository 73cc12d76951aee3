-- A SELECT over no stream is SQLite's, and computes as a CREATE QUERY does:
-- Sluice's functions (split_part, to_timestamp, regexp_like, now()),
-- TIMESTAMP and INTERVAL literals and their arithmetic, CAST AS TIMESTAMP,
-- and SET clock reaching now() and 'now'. The CREATE QUERY below computes
-- the same expressions over a stream: its table (the expect line) must
-- show the values the one-shot SELECTs print. A BLOB prints as X'..'.
-- stdout
SET clock = TIMESTAMP '2026-03-01 08:30:00';
SELECT split_part('a b c', ' ', 2) AS part, to_timestamp(0) AS epoch,
       regexp_like('abc', '^a.c$') AS re, now() AS at, datetime('now') AS text_at;
SELECT TIMESTAMP '2026-01-01 00:00:00' + INTERVAL '5' SECOND AS later,
       INTERVAL '1 minute' AS us,
       TIMESTAMP '2026-01-01 00:00:00' - TIMESTAMP '2025-12-31 23:00:00' AS diff,
       CAST('2026-01-02' AS TIMESTAMP) - INTERVAL '1' DAY AS day_before,
       to_timestamp(60) + 1000000 AS int_plus,
       CAST('1.5' AS BOOLEAN) AS flag;
SELECT TIMESTAMP '2026-01-01' < TIMESTAMP '2026-01-01 00:00:01' AS earlier,
       date_trunc('hour', TIMESTAMP '2026-01-01 10:45:00') + INTERVAL '30' MINUTE AS half;
SELECT X'00FF' AS bytes, length(X'00FF') AS n, typeof(X'00FF') AS t;
CREATE STREAM ev (id INTEGER, ts TIMESTAMP, doc TEXT)
  FROM FILE 'data/lit_times.csv' FORMAT CSV (header = true);
CREATE QUERY same AS
  SELECT split_part('a b c', ' ', 2) AS part, to_timestamp(0) AS epoch,
         regexp_like('abc', '^a.c$') AS re, now() AS at, datetime('now') AS text_at,
         TIMESTAMP '2026-01-01 00:00:00' + INTERVAL '5' SECOND AS later,
         INTERVAL '1 minute' AS us,
         TIMESTAMP '2026-01-01 00:00:00' - TIMESTAMP '2025-12-31 23:00:00' AS diff,
         CAST('2026-01-02' AS TIMESTAMP) - INTERVAL '1' DAY AS day_before,
         to_timestamp(60) + 1000000 AS int_plus,
         CAST('1.5' AS BOOLEAN) AS flag,
         TIMESTAMP '2026-01-01' < TIMESTAMP '2026-01-01 00:00:01' AS earlier,
         date_trunc('hour', TIMESTAMP '2026-01-01 10:45:00') + INTERVAL '30' MINUTE AS half
  FROM ev WHERE id = 1;
-- expect: SELECT part, epoch, re, at, text_at FROM same
-- expect: SELECT later, us, diff, day_before, int_plus, flag FROM same
-- expect: SELECT earlier, half FROM same
