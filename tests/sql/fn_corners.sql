-- The corners where Sluice's functions once differed from SQLite, each
-- against sqlite3 over the same rows: round()'s digits and substr()'s
-- bounds read as 32-bit ints (4294967298 is 2), integer arguments read from
-- text by their integer prefix (char('1e3') is char(1)), reals from text by
-- SQLite's own conversion (round('515.4748424', 2)), text read as a C string
-- up to a NUL byte (length, quote, unicode, printf, trim's set, replace's
-- pattern, LIKE, date), a form feed before a number, and replace() handing
-- back a number that text affinity leaves a number. Only the two difference
-- counts are expected: both 0.
CREATE STREAM corners (id INTEGER, i INTEGER, r REAL, t TEXT)
  FROM FILE 'data/fn_corners.csv' FORMAT CSV (header = true);
CREATE QUERY corner_fns AS
  SELECT id, round(r, i) AS e1, substr(t, i) AS e2, substr(t, 2, i) AS e3, char(t, i) AS e4, printf('%d|%i|%x|%5.1f|%c', t, t, t, t, t) AS e5, length(t || char(0) || t) AS e6, quote(t || char(0) || t) AS e7, unicode(char(0) || t) AS e8, printf('<%s|%c|%5.2s|%.3q>', char(0) || t, char(0), t, t) AS e9, trim(t, char(0) || t) AS e10, replace(t, char(0) || 'x', 'y') AS e11, CAST(char(12) || t AS INTEGER) AS e12, t > replace(i, '', 'z') AS e13, t LIKE char(0) || 'x%' AS e14, date(t || char(0) || 'x') AS e15, round(t, 2) AS e16, printf('%!.15g', t) AS e17, CASE t WHEN replace(i, '', '') THEN 1 ELSE 0 END AS e18, t IN (replace(r, '', ''), 'zz') AS e19, substr(printf('%.2s', t), 1, 1) || length(printf('%.2s', t)) AS e20, quote(round(r, i % 40)) AS e21
  FROM corners;
-- load: raw data/fn_corners.csv
-- expect: CREATE VIEW oracle AS SELECT id, round(r, i) AS e1, substr(t, i) AS e2, substr(t, 2, i) AS e3, char(t, i) AS e4, printf('%d|%i|%x|%5.1f|%c', t, t, t, t, t) AS e5, length(t || char(0) || t) AS e6, quote(t || char(0) || t) AS e7, unicode(char(0) || t) AS e8, printf('<%s|%c|%5.2s|%.3q>', char(0) || t, char(0), t, t) AS e9, trim(t, char(0) || t) AS e10, replace(t, char(0) || 'x', 'y') AS e11, CAST(char(12) || t AS INTEGER) AS e12, t > replace(i, '', 'z') AS e13, t LIKE char(0) || 'x%' AS e14, date(t || char(0) || 'x') AS e15, round(t, 2) AS e16, printf('%!.15g', t) AS e17, CASE t WHEN replace(i, '', '') THEN 1 ELSE 0 END AS e18, t IN (replace(r, '', ''), 'zz') AS e19, substr(printf('%.2s', t), 1, 1) || length(printf('%.2s', t)) AS e20, quote(round(r, i % 40)) AS e21 FROM (SELECT CAST(id AS INTEGER) AS id, CAST(i AS INTEGER) AS i, CAST(r AS REAL) AS r, CAST(t AS TEXT) AS t FROM raw)
-- expect: SELECT count(*) AS rows FROM corner_fns
-- expect: SELECT count(*) AS sluice_not_sqlite FROM (SELECT id, quote(e1), quote(e2), quote(e3), quote(e4), quote(e5), quote(e6), quote(e7), quote(e8), quote(e9), quote(e10), quote(e11), quote(e12), quote(e13), quote(e14), quote(e15), quote(e16), quote(e17), quote(e18), quote(e19), quote(e20), quote(e21) FROM corner_fns EXCEPT SELECT id, quote(e1), quote(e2), quote(e3), quote(e4), quote(e5), quote(e6), quote(e7), quote(e8), quote(e9), quote(e10), quote(e11), quote(e12), quote(e13), quote(e14), quote(e15), quote(e16), quote(e17), quote(e18), quote(e19), quote(e20), quote(e21) FROM oracle)
-- expect: SELECT count(*) AS sqlite_not_sluice FROM (SELECT id, quote(e1), quote(e2), quote(e3), quote(e4), quote(e5), quote(e6), quote(e7), quote(e8), quote(e9), quote(e10), quote(e11), quote(e12), quote(e13), quote(e14), quote(e15), quote(e16), quote(e17), quote(e18), quote(e19), quote(e20), quote(e21) FROM oracle EXCEPT SELECT id, quote(e1), quote(e2), quote(e3), quote(e4), quote(e5), quote(e6), quote(e7), quote(e8), quote(e9), quote(e10), quote(e11), quote(e12), quote(e13), quote(e14), quote(e15), quote(e16), quote(e17), quote(e18), quote(e19), quote(e20), quote(e21) FROM corner_fns)
