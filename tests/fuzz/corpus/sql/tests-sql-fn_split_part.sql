-- split_part(text, sep, n), Sluice's streaming addition (PostgreSQL's): fields
-- are 1-based, negative n counts from the end, past the last field is '',
-- an empty separator leaves one field, n = 0 is NULL.
CREATE STREAM vals (id INTEGER, i INTEGER, r REAL, t TEXT, s TEXT)
  FROM FILE 'data/fn_values.csv' FORMAT CSV (header = true);
CREATE QUERY parts AS
  SELECT id, t, split_part(t, ' ', 2) AS second, split_part(t, ',', -1) AS last,
         split_part(t, s, 1) AS before_s, split_part(t, '', 1) AS whole,
         split_part(t, ' ', 0) AS zero, split_part(t, 'l', 9) AS beyond
  FROM vals;
-- expect: SELECT id, quote(t), quote(second), quote(last), quote(before_s), quote(whole), quote(zero), quote(beyond) FROM parts ORDER BY id
