-- SQLite's date and time functions over a CSV stream of text times (SQLite's
-- formats, bad ones included), julian day numbers (j), unix seconds (u) and
-- modifiers (m), NULLs included. SQLite is the oracle: the `oracle` view
-- computes the same expressions over the same rows and quote() compares
-- values and types in both directions. 'localtime' and 'utc' treat the
-- process as UTC (docs/sql.md), as the test's sqlite3 runs in UTC too.
CREATE STREAM times (id INTEGER, t TEXT, j REAL, u INTEGER, m TEXT)
  FROM FILE 'data/fn_times.csv' FORMAT CSV (header = true);
CREATE QUERY dates AS
  SELECT id, date(t) AS e1,
         time(t) AS e2,
         datetime(t) AS e3,
         julianday(t) AS e4,
         unixepoch(t) AS e5,
         strftime('%Y-%m-%d %H:%M:%f|%j|%J|%s|%w|%W|%%', t) AS e6,
         datetime(t, m) AS e7,
         date(t, '+1 month', 'start of month', '-1 day') AS e8,
         datetime(t, 'weekday 1', 'start of day') AS e9,
         datetime(t, '+36 hours', '-90 minutes', '+30 seconds') AS e10,
         date(t, '+1 year', 'start of year') AS e11,
         datetime(t, '+01:30') AS e12,
         datetime(j) AS e13,
         date(j, '+1.5 days') AS e14,
         julianday(j, 'start of month') AS e15,
         datetime(u, 'unixepoch') AS e16,
         strftime('%s %H:%M:%S', u, 'unixepoch', '+1 hour') AS e17,
         unixepoch(u, 'unixepoch', 'start of year') AS e18,
         datetime(u, 'auto') AS e19,
         datetime(j, 'julianday') AS e20,
         datetime(t, 'localtime', 'utc') AS e21,
         datetime(t, m, 'start of month') AS e22,
         strftime('%d/%m/%Y %H-%M-%S %w', t, m) AS e23,
         time(t, '-12:00') AS e24,
         unixepoch(t, m) AS e25,
         julianday(j, m) AS e26,
         datetime(u, m) AS e27,
         strftime('%j %W', j, m) AS e28,
         datetime(t, '-1 month', '+1 year', '-10 days', '+0.5 hours') AS e29,
         strftime('%Y %m %d %w %W %j', t, 'weekday 0', '-7 days') AS e30
  FROM times;
-- load: raw data/fn_times.csv
-- expect: CREATE VIEW oracle AS SELECT id, date(t) AS e1, time(t) AS e2, datetime(t) AS e3, julianday(t) AS e4, unixepoch(t) AS e5, strftime('%Y-%m-%d %H:%M:%f|%j|%J|%s|%w|%W|%%', t) AS e6, datetime(t, m) AS e7, date(t, '+1 month', 'start of month', '-1 day') AS e8, datetime(t, 'weekday 1', 'start of day') AS e9, datetime(t, '+36 hours', '-90 minutes', '+30 seconds') AS e10, date(t, '+1 year', 'start of year') AS e11, datetime(t, '+01:30') AS e12, datetime(j) AS e13, date(j, '+1.5 days') AS e14, julianday(j, 'start of month') AS e15, datetime(u, 'unixepoch') AS e16, strftime('%s %H:%M:%S', u, 'unixepoch', '+1 hour') AS e17, unixepoch(u, 'unixepoch', 'start of year') AS e18, datetime(u, 'auto') AS e19, datetime(j, 'julianday') AS e20, datetime(t, 'localtime', 'utc') AS e21, datetime(t, m, 'start of month') AS e22, strftime('%d/%m/%Y %H-%M-%S %w', t, m) AS e23, time(t, '-12:00') AS e24, unixepoch(t, m) AS e25, julianday(j, m) AS e26, datetime(u, m) AS e27, strftime('%j %W', j, m) AS e28, datetime(t, '-1 month', '+1 year', '-10 days', '+0.5 hours') AS e29, strftime('%Y %m %d %w %W %j', t, 'weekday 0', '-7 days') AS e30 FROM (SELECT CAST(id AS INTEGER) AS id, NULLIF(t, '') AS t, CAST(NULLIF(j, '') AS REAL) AS j, CAST(NULLIF(u, '') AS INTEGER) AS u, NULLIF(m, '') AS m FROM raw)
-- expect: SELECT id, e1, e3, e6, e7 FROM dates ORDER BY id
-- expect: SELECT count(*) AS sluice_not_sqlite FROM (SELECT id, quote(e1), quote(e2), quote(e3), quote(e4), quote(e5), quote(e6), quote(e7), quote(e8), quote(e9), quote(e10), quote(e11), quote(e12), quote(e13), quote(e14), quote(e15), quote(e16), quote(e17), quote(e18), quote(e19), quote(e20), quote(e21), quote(e22), quote(e23), quote(e24), quote(e25), quote(e26), quote(e27), quote(e28), quote(e29), quote(e30) FROM dates EXCEPT SELECT id, quote(e1), quote(e2), quote(e3), quote(e4), quote(e5), quote(e6), quote(e7), quote(e8), quote(e9), quote(e10), quote(e11), quote(e12), quote(e13), quote(e14), quote(e15), quote(e16), quote(e17), quote(e18), quote(e19), quote(e20), quote(e21), quote(e22), quote(e23), quote(e24), quote(e25), quote(e26), quote(e27), quote(e28), quote(e29), quote(e30) FROM oracle)
-- expect: SELECT count(*) AS sqlite_not_sluice FROM (SELECT id, quote(e1), quote(e2), quote(e3), quote(e4), quote(e5), quote(e6), quote(e7), quote(e8), quote(e9), quote(e10), quote(e11), quote(e12), quote(e13), quote(e14), quote(e15), quote(e16), quote(e17), quote(e18), quote(e19), quote(e20), quote(e21), quote(e22), quote(e23), quote(e24), quote(e25), quote(e26), quote(e27), quote(e28), quote(e29), quote(e30) FROM oracle EXCEPT SELECT id, quote(e1), quote(e2), quote(e3), quote(e4), quote(e5), quote(e6), quote(e7), quote(e8), quote(e9), quote(e10), quote(e11), quote(e12), quote(e13), quote(e14), quote(e15), quote(e16), quote(e17), quote(e18), quote(e19), quote(e20), quote(e21), quote(e22), quote(e23), quote(e24), quote(e25), quote(e26), quote(e27), quote(e28), quote(e29), quote(e30) FROM dates)
