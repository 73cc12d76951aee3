-- The new aggregates in windows (docs/sql.md, "Aggregates"), over the rows of
-- windows.sql: a tumbling window folds each row once; a hopping window
-- combines its 5-second slices, and a session merges sessions, so these show
-- combine: DISTINCT sets united, earliest/latest by event time across slices
-- (b@12:00:02 arrives after b@12:00:03 but is the earliest), lists joined in
-- time order of their slices, sketches merged. FILTER and HAVING use them.
CREATE STREAM readings (sensor TEXT, reading INTEGER, ts TIMESTAMP,
                        WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)
  FROM FILE 'data/events.csv' FORMAT CSV (header = true);

CREATE QUERY tumbling AS
  SELECT window_start, sensor, COUNT(DISTINCT reading > 25) AS kinds, earliest(reading) AS first,
         latest(reading) AS last, collect_list(reading) AS readings, var_pop(reading) AS vp,
         approx_count_distinct(reading) AS acd, approx_percentile(reading, 0.5) AS med,
         COUNT(*) FILTER (WHERE reading > 30) AS high
  FROM readings
  GROUP BY sensor
  WINDOW TUMBLING (SIZE 10 SECONDS, GRACE PERIOD 5 SECONDS)
  EMIT FINAL;

CREATE QUERY hopping AS
  SELECT window_start, COUNT(DISTINCT sensor) AS sensors, earliest(sensor) AS first,
         latest(reading) AS last, collect_list(reading) AS readings,
         stddev_samp(reading) AS sd, SUM(DISTINCT reading / 20) AS sd20,
         approx_percentile(reading, 1) AS top
  FROM readings
  WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 5 SECONDS)
  EMIT FINAL;

CREATE QUERY sessions AS
  SELECT window_start, window_end, sensor, collect_list(reading) AS readings,
         earliest(reading) AS first, latest(reading) AS last,
         COUNT(DISTINCT reading) FILTER (WHERE reading >= 20) AS n20
  FROM readings
  GROUP BY sensor
  WINDOW SESSION (GAP 6 SECONDS)
  HAVING COUNT(*) FILTER (WHERE reading < 100) >= 2;

-- expect: SELECT * FROM tumbling ORDER BY window_start, sensor
-- expect: SELECT * FROM hopping ORDER BY window_start
-- expect: SELECT * FROM sessions ORDER BY sensor, window_start
