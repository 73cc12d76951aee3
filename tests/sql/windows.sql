-- Windows over event time (docs/sql.md, "Time and windows"): the stream's
-- watermark is the highest ts read so far minus 2 seconds; a row is late when
-- the watermark has reached its window's end (+ grace) when it arrives.
-- Here b@12:00:05 arrives after a@12:00:25 (watermark 12:00:23): late for
-- [12:00:00, 12:00:10) and every session it could join; a@12:00:19 is on
-- time for a 10-second tumbling window only with a grace period.
CREATE STREAM readings (sensor TEXT, reading INTEGER, ts TIMESTAMP,
                        WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)
  FROM FILE 'data/events.csv' FORMAT CSV (header = true);

CREATE QUERY per_10s AS
  SELECT window_start, window_end, sensor, COUNT(*) AS n, SUM(reading) AS total
  FROM readings
  GROUP BY sensor
  WINDOW TUMBLING (SIZE 10 SECONDS)
  EMIT FINAL;

CREATE QUERY per_10s_kept AS
  SELECT sensor, COUNT(*) AS n
  FROM readings
  GROUP BY sensor
  WINDOW TUMBLING (SIZE 10 SECONDS)
  EMIT FINAL
  WITH (late = 'table');

CREATE QUERY per_10s_grace AS
  SELECT sensor, COUNT(*) AS n, MAX(reading) AS top
  FROM readings
  WINDOW TUMBLING (SIZE 10 SECONDS, GRACE PERIOD 5 SECONDS)
  GROUP BY sensor;

CREATE QUERY sliding AS
  SELECT window_start, COUNT(*) AS n, AVG(reading) AS mean
  FROM readings
  WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 5 SECONDS)
  EMIT FINAL;

CREATE QUERY visits AS
  SELECT window_start, window_end, sensor, COUNT(*) AS n, MIN(ts) AS first_seen
  FROM readings
  GROUP BY sensor, window_start, window_end
  WINDOW SESSION (GAP 6 SECONDS)
  HAVING COUNT(*) >= 2;

-- expect: SELECT * FROM per_10s ORDER BY window_start, sensor
-- expect: SELECT * FROM per_10s_kept_late ORDER BY ts
-- expect: SELECT * FROM per_10s_grace ORDER BY window_start, sensor
-- expect: SELECT * FROM sliding ORDER BY window_start
-- expect: SELECT * FROM visits ORDER BY sensor, window_start
-- expect: SELECT query, rows_in, late_rows, watermark FROM _sluice_progress ORDER BY query
