-- mode: check
-- Operands the bitwise and JSON operators refuse, all reported in one run: an
-- ARRAY (split()'s result), a TIMESTAMP (like * and /, it has no integer
-- meaning there), and a path for -> that is not a constant.
CREATE STREAM ev (id INTEGER, ts TIMESTAMP, doc TEXT)
  FROM FILE 'x.csv' FORMAT CSV (header = true);
CREATE QUERY arrays AS SELECT split(doc, ',') & 1, ~split(doc, ','), split(doc, ',') -> 'a' FROM ev;
CREATE QUERY times AS SELECT ts | 0, 1 << ts, ~ts, ts * 2 FROM ev;
CREATE QUERY paths AS SELECT doc -> doc, doc -> 1.5, doc -> '' FROM ev;
