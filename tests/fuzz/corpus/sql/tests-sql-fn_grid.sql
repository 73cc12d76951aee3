-- A wider differential check against SQLite: 200 generated rows (substr
-- starts and lengths from -8 to 8, reals of every magnitude and rounding
-- half cases, UTF-8 text) through the functions whose corners are
-- subtle. Only the two difference counts are expected: both 0.
CREATE STREAM grid (id INTEGER, a INTEGER, b INTEGER, r REAL, t TEXT)
  FROM FILE 'data/fn_grid.csv' FORMAT CSV (header = true);
CREATE QUERY grid_fns AS
  SELECT id, substr(t, a, b) AS e1,
         substr(t, a) AS e2,
         round(r, a) AS e3,
         round(r) AS e4,
         round(r, b + 8) AS e5,
         printf('%.3f|%e|%g|%.10g|%!.15g|%#.5g|%12.4E|%-+9.2f|%08.3f', r, r, r, r, r, r, r, r, r) AS e6,
         printf('%.*f|%*d|%.*s', a + 8, r, b, a, a, t) AS e7,
         quote(r) AS e8,
         instr(t, substr(t, a, 2)) AS e9,
         trim(t, substr(t, 1, 2)) AS e10,
         replace(t, substr(t, a, 1), 'Zz') AS e11,
         sign(r) AS e12,
         abs(r) AS e13,
         hex(r) AS e14,
         char(a + 70, b + 200) AS e15,
         unicode(substr(t, a)) AS e16,
         iif(a > b, r, t) AS e17,
         coalesce(nullif(a, b), t) AS e18
  FROM grid;
-- load: raw data/fn_grid.csv
-- expect: CREATE VIEW oracle AS SELECT id, substr(t, a, b) AS e1, substr(t, a) AS e2, round(r, a) AS e3, round(r) AS e4, round(r, b + 8) AS e5, printf('%.3f|%e|%g|%.10g|%!.15g|%#.5g|%12.4E|%-+9.2f|%08.3f', r, r, r, r, r, r, r, r, r) AS e6, printf('%.*f|%*d|%.*s', a + 8, r, b, a, a, t) AS e7, quote(r) AS e8, instr(t, substr(t, a, 2)) AS e9, trim(t, substr(t, 1, 2)) AS e10, replace(t, substr(t, a, 1), 'Zz') AS e11, sign(r) AS e12, abs(r) AS e13, hex(r) AS e14, char(a + 70, b + 200) AS e15, unicode(substr(t, a)) AS e16, iif(a > b, r, t) AS e17, coalesce(nullif(a, b), t) AS e18 FROM (SELECT CAST(id AS INTEGER) AS id, CAST(a AS INTEGER) AS a, CAST(b AS INTEGER) AS b, CAST(r AS REAL) AS r, t FROM raw)
-- expect: SELECT count(*) AS rows FROM grid_fns
-- expect: SELECT count(*) AS sluice_not_sqlite FROM (SELECT id, quote(e1), quote(e2), quote(e3), quote(e4), quote(e5), quote(e6), quote(e7), quote(e8), quote(e9), quote(e10), quote(e11), quote(e12), quote(e13), quote(e14), quote(e15), quote(e16), quote(e17), quote(e18) FROM grid_fns EXCEPT SELECT id, quote(e1), quote(e2), quote(e3), quote(e4), quote(e5), quote(e6), quote(e7), quote(e8), quote(e9), quote(e10), quote(e11), quote(e12), quote(e13), quote(e14), quote(e15), quote(e16), quote(e17), quote(e18) FROM oracle)
-- expect: SELECT count(*) AS sqlite_not_sluice FROM (SELECT id, quote(e1), quote(e2), quote(e3), quote(e4), quote(e5), quote(e6), quote(e7), quote(e8), quote(e9), quote(e10), quote(e11), quote(e12), quote(e13), quote(e14), quote(e15), quote(e16), quote(e17), quote(e18) FROM oracle EXCEPT SELECT id, quote(e1), quote(e2), quote(e3), quote(e4), quote(e5), quote(e6), quote(e7), quote(e8), quote(e9), quote(e10), quote(e11), quote(e12), quote(e13), quote(e14), quote(e15), quote(e16), quote(e17), quote(e18) FROM grid_fns)
