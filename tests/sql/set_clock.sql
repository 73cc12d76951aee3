-- SET clock: 'manual' or a TIMESTAMP stops the processing-time clock (now(),
-- batch starts, processing-time windows) where only SET moves it; 'system'
-- gives it back. A stopped clock makes now() a constant a test can compare.
-- The input ends, which ends the batch whatever the clock says.
CREATE STREAM ev (id INTEGER, ts TIMESTAMP, doc TEXT)
  FROM FILE 'data/lit_times.csv' FORMAT CSV (header = true);
SET clock = TIMESTAMP '2026-03-01 08:30:00';
CREATE QUERY stamped AS SELECT id, now() AS at, datetime('now') AS text_at FROM ev;
-- expect: SELECT DISTINCT at, text_at FROM stamped
-- expect: SELECT started FROM _sluice_progress WHERE query = 'stamped'
