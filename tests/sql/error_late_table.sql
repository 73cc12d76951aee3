-- WITH (late = 'table') writes <query>_late: a query whose late table would
-- be another query's results is refused before anything is created (no
-- table of its own left behind), and the other query's table keeps its columns.
CREATE STREAM readings (sensor TEXT, reading INTEGER, ts TIMESTAMP,
                        WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)
  FROM FILE 'data/events.csv' FORMAT CSV (header = true);
CREATE QUERY w_late AS SELECT sensor, COUNT(*) AS n FROM readings GROUP BY sensor;
CREATE QUERY w AS SELECT sensor, COUNT(*) AS n FROM readings GROUP BY sensor
  WINDOW TUMBLING (SIZE 10 SECONDS) WITH (late = 'table');
-- expect: SELECT count(*) FROM sqlite_master WHERE name = 'w'
-- expect: SELECT group_concat(name, ', ') FROM pragma_table_info('w_late')
