-- mode: check
-- A constant argument that would make every row NULL is an error when the
-- query is checked, at that argument: a regexp pattern that does not compile,
-- an unknown date_trunc unit. The same values computed per row stay NULL
-- (fn_regexp.sql, fn_timestamp.sql); NULL itself is no error.
CREATE STREAM ev (id INTEGER, t TEXT, unit TEXT, ts TIMESTAMP)
  FROM FILE 'data/nulls.csv' FORMAT CSV (header = true);
CREATE QUERY ok AS
  SELECT regexp_like(t, t), regexp_extract(t, '(\d+)-(\d+)', 2), regexp_like(t, NULL),
         date_trunc(unit, ts), date_trunc('Week', ts), date_trunc(NULL, ts)
  FROM ev;
CREATE QUERY bad_pattern AS SELECT regexp_like(t, 'a(b'), regexp_extract(t, '[z-a]', 1) FROM ev;
CREATE QUERY bad_unit AS SELECT date_trunc('fortnight', ts), date_trunc(7, ts) FROM ev;
CREATE QUERY both AS
  SELECT id FROM ev WHERE regexp_like(upper(t), '*x') OR date_trunc('days', ts) IS NULL;
