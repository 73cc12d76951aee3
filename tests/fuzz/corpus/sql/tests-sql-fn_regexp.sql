-- regexp_like() and regexp_extract() (PCRE2, UTF-8): a pattern per row
-- (recompiled only when it changes) and constant patterns (compiled once per
-- chunk), group 0 and numbered groups, a group that took no part, no match,
-- a NULL text, an invalid pattern ('(' gives NULL per row: docs/sql.md).
-- Checked by reading the .out.
CREATE STREAM texts (id INTEGER, t TEXT, pat TEXT)
  FROM FILE 'data/fn_regexp.csv' FORMAT CSV (header = true);
CREATE QUERY matches AS
  SELECT id, regexp_like(t, pat) AS like_row,
         regexp_extract(t, pat) AS whole,
         regexp_extract(t, pat, 1) AS g1,
         regexp_extract(t, pat, 2) AS g2,
         regexp_like(t, '^[a-z]+ ') AS like_const,
         regexp_extract(t, '\d+') AS digits,
         regexp_extract(t, '(\d{4})-(\d{2})', 2) AS month,
         regexp_extract(t, '\p{Han}+') AS han
  FROM texts;
-- expect: SELECT id, quote(like_row), quote(whole), quote(g1), quote(g2) FROM matches ORDER BY id
-- expect: SELECT id, quote(like_const), quote(digits), quote(month), quote(han) FROM matches ORDER BY id
