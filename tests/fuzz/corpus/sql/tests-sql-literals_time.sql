-- TIMESTAMP and INTERVAL literals (Sluice's, not SQLite's: their rows are
-- checked by reading this .out). An interval is INTEGER microseconds, so
-- timestamp +/- interval is a TIMESTAMP and timestamp - timestamp an INTEGER
-- count of microseconds. Every unit, singular and plural, in both spellings.
CREATE STREAM ev (id INTEGER, ts TIMESTAMP, doc TEXT)
  FROM FILE 'data/lit_times.csv' FORMAT CSV (header = true);
CREATE QUERY shifted AS
  SELECT id, ts + INTERVAL '5' SECOND AS plus5s,
         ts - INTERVAL '1 minute' AS minus1m,
         INTERVAL '2' HOURS + ts AS plus2h,
         ts - TIMESTAMP '2026-01-01 12:00:00' AS since_noon,
         ts >= TIMESTAMP '2026-01-01T12:00:00Z' AS after_noon,
         typeof(ts - ts) AS diff_type
  FROM ev;
CREATE QUERY units AS
  SELECT id, INTERVAL '250' MILLISECONDS AS ms, INTERVAL '1' MILLISECOND AS ms1,
         INTERVAL '3 seconds' AS s, INTERVAL '1' MINUTE AS m, INTERVAL '2 Hours' AS h,
         INTERVAL '1' DAY AS d, INTERVAL ' -7 days ' AS neg,
         TIMESTAMP '2026-01-01 00:00:00+02:00' AS tz,
         TIMESTAMP '2024-02-29' + INTERVAL '1 day' AS leap
  FROM ev WHERE id = 1;
-- expect: SELECT id, plus5s, minus1m, plus2h, since_noon, after_noon, diff_type FROM shifted ORDER BY id
-- expect: SELECT ms, ms1, s, m, h, d, neg, tz, leap, typeof(ms), typeof(tz) FROM units
