-- GENERATOR: n counts from 0, ts = start + n microseconds at rate = 0 (start + n / rate
-- seconds otherwise); the stream ends after rows. No FORMAT: the connector's own (CSV).
CREATE STREAM g (n BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts)
  FROM GENERATOR WITH (rows = 1000000, rate = 0, start = '2026-01-01 00:00:00');
CREATE QUERY totals AS
  SELECT n % 4 AS k, COUNT(*) AS rows, SUM(n) AS total, MIN(ts) AS first, MAX(ts) AS last
  FROM g GROUP BY n % 4;
CREATE QUERY per_100ms AS
  SELECT window_start, COUNT(*) AS rows, MIN(n) AS low, MAX(n) AS high
  FROM g GROUP BY 1 WINDOW TUMBLING (SIZE 100 MILLISECONDS);
-- Paced: 20 rows at 100 a second, 10 milliseconds of ts apart.
CREATE STREAM paced (n BIGINT, ts TIMESTAMP)
  FROM GENERATOR WITH (rows = 20, rate = 100, start = '2026-01-01 00:00:00');
CREATE QUERY paced_totals AS
  SELECT n >= 0 AS all_rows, COUNT(*) AS rows, MIN(ts) AS first, MAX(ts) AS last
  FROM paced GROUP BY n >= 0;
-- expect: SELECT * FROM totals ORDER BY k
-- expect: SELECT sum(rows), sum(total) FROM totals
-- expect: SELECT * FROM per_100ms ORDER BY window_start
-- expect: SELECT all_rows, rows, first, last FROM paced_totals
-- expect: SELECT query, batch_id > 0 FROM _sluice_progress GROUP BY query ORDER BY query
