-- x ->> path is json_extract(x, path) with SQLite's reading of the path: text
-- starting with '$' is a path, other text an object label ('b.c' is
-- '$.b.c'), an integer an array index. It binds at the level of ||
-- (left to right) and tighter than + and *; SQLite (3.40) is the oracle.
CREATE STREAM ev (id INTEGER, ts TIMESTAMP, doc TEXT)
  FROM FILE 'data/lit_times.csv' FORMAT CSV (header = true);
CREATE QUERY arrows AS
  SELECT id, doc ->> 'a' AS a, doc ->> '$.b.c' AS bc, doc ->> 'b.c' AS label_bc,
         doc ->> '$.arr' AS arr, doc ->> 'arr' ->> 1 AS arr1, '[7,8,9]' ->> 2 AS idx,
         doc ->> 'a' || '!' AS cat, 1 + doc ->> '$.arr[0]' * 2 AS arith,
         typeof(doc ->> 'a') AS t
  FROM ev;
-- load: raw data/lit_times.csv
-- expect: CREATE VIEW oracle AS SELECT id, doc ->> 'a' AS a, doc ->> '$.b.c' AS bc, doc ->> 'b.c' AS label_bc, doc ->> '$.arr' AS arr, doc ->> 'arr' ->> 1 AS arr1, '[7,8,9]' ->> 2 AS idx, doc ->> 'a' || '!' AS cat, 1 + doc ->> '$.arr[0]' * 2 AS arith, typeof(doc ->> 'a') AS t FROM (SELECT CAST(id AS INTEGER) AS id, NULLIF(doc, '') AS doc FROM raw WHERE json_valid(doc))
-- expect: SELECT id, quote(a), quote(bc), quote(label_bc), quote(arr), quote(arr1), quote(idx), quote(cat), quote(arith), t FROM arrows WHERE id <> 4 ORDER BY id
-- expect: SELECT count(*) AS sluice_not_sqlite FROM (SELECT id, quote(a), quote(bc), quote(label_bc), quote(arr), quote(arr1), quote(idx), quote(cat), quote(arith), t FROM arrows WHERE id <> 4 EXCEPT SELECT id, quote(a), quote(bc), quote(label_bc), quote(arr), quote(arr1), quote(idx), quote(cat), quote(arith), t FROM oracle)
-- expect: SELECT count(*) AS sqlite_not_sluice FROM (SELECT id, quote(a), quote(bc), quote(label_bc), quote(arr), quote(arr1), quote(idx), quote(cat), quote(arith), t FROM oracle EXCEPT SELECT id, quote(a), quote(bc), quote(label_bc), quote(arr), quote(arr1), quote(idx), quote(cat), quote(arith), t FROM arrows WHERE id <> 4)
-- expect: SELECT id, quote(a), quote(cat), quote(arith) FROM arrows WHERE id = 4
