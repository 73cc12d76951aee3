-- Column names a window adds never clash with the query's own: a key named
-- like a late-table column, or an item aliased window_start, gets :1 (as
-- SQLite names repeated columns). GROUP BY k, k groups by k once.
CREATE STREAM readings (sensor TEXT, reading INTEGER, ts TIMESTAMP,
                        WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)
  FROM FILE 'data/events.csv' FORMAT CSV (header = true);
CREATE QUERY by_ts AS SELECT ts, COUNT(*) AS n FROM readings GROUP BY ts
  WINDOW TUMBLING (SIZE 10 SECONDS) EMIT FINAL WITH (late = 'table');
CREATE QUERY aliased AS SELECT sensor AS window_start, COUNT(*) AS n FROM readings
  GROUP BY sensor, sensor WINDOW TUMBLING (SIZE 10 SECONDS);
-- expect: SELECT group_concat(name, ', ') FROM pragma_table_info('by_ts_late')
-- expect: SELECT group_concat(name, ', ') FROM pragma_table_info('aliased')
-- expect: SELECT * FROM aliased ORDER BY 1, 3
