-- The streaming time functions SQLite lacks: to_timestamp() of unix seconds
-- (REAL kept to the microsecond) and of ISO-8601 text, date_trunc() for every
-- unit (ISO weeks start on Monday; 1970-01-01 was a Thursday), now(). Their
-- rows are checked by reading the .out. The last expectation checks that the
-- SQLite date functions read a TIMESTAMP as its ISO text: Sluice's strftime()
-- of to_timestamp(secs) must equal SQLite's strftime() of that timestamp's
-- text (as Sluice writes it to the result table).
CREATE STREAM events (id INTEGER, ts TEXT, secs REAL, unit TEXT)
  FROM FILE 'data/fn_timestamps.csv' FORMAT CSV (header = true);
CREATE QUERY stamps AS
  SELECT id, to_timestamp(ts) AS from_text,
         to_timestamp(secs) AS from_secs,
         date_trunc(unit, to_timestamp(ts)) AS by_unit,
         date_trunc('week', to_timestamp(ts)) AS week,
         date_trunc('month', to_timestamp(secs)) AS month,
         date_trunc('year', ts) AS year,
         strftime('%Y-%m-%d %H:%M:%f', to_timestamp(secs)) AS sql_text,
         now() >= to_timestamp('2024-01-01') AS after_2024
  FROM events;
-- expect: SELECT id, from_text, from_secs, by_unit FROM stamps ORDER BY id
-- expect: SELECT id, week, month, year, after_2024 FROM stamps ORDER BY id
-- expect: SELECT id, sql_text, sql_text IS strftime('%Y-%m-%d %H:%M:%f', from_secs) AS same FROM stamps ORDER BY id
