-- json_extract() over a CSV stream of JSON documents and paths: nested
-- objects and arrays, [#-N], quoted keys, top-level scalars, escapes, int64
-- edges, missing paths, NULLs. SQLite is the oracle (the `oracle` view);
-- every document here is minified with shortest numbers, where the JSON text
-- Sluice renders for an object or array is SQLite's (docs/sql.md, "JSON").
CREATE STREAM docs (id INTEGER, doc TEXT, path TEXT)
  FROM FILE 'data/fn_json.csv' FORMAT CSV (header = true);
CREATE QUERY extracted AS
  SELECT id, json_extract(doc, path) AS e1,
         json_extract(doc, '$') AS e2,
         json_extract(doc, '$.a') AS e3,
         json_extract(doc, '$[0]') AS e4,
         json_extract(doc, '$.user.age') AS e5,
         json_extract(doc, '$.user.score') AS e6,
         typeof(json_extract(doc, path)) AS e7,
         json_extract(doc, '$.a.b[#-2]') AS e8,
         json_extract(doc, '$.c') AS e9,
         json_extract(id, '$') AS e10
  FROM docs;
-- load: raw data/fn_json.csv
-- expect: CREATE VIEW oracle AS SELECT id, json_extract(doc, path) AS e1, json_extract(doc, '$') AS e2, json_extract(doc, '$.a') AS e3, json_extract(doc, '$[0]') AS e4, json_extract(doc, '$.user.age') AS e5, json_extract(doc, '$.user.score') AS e6, typeof(json_extract(doc, path)) AS e7, json_extract(doc, '$.a.b[#-2]') AS e8, json_extract(doc, '$.c') AS e9, json_extract(id, '$') AS e10 FROM (SELECT CAST(id AS INTEGER) AS id, NULLIF(doc, '') AS doc, NULLIF(path, '') AS path FROM raw)
-- expect: SELECT id, quote(e1), e7 FROM extracted ORDER BY id
-- expect: SELECT count(*) AS sluice_not_sqlite FROM (SELECT id, quote(e1), quote(e2), quote(e3), quote(e4), quote(e5), quote(e6), quote(e7), quote(e8), quote(e9), quote(e10) FROM extracted EXCEPT SELECT id, quote(e1), quote(e2), quote(e3), quote(e4), quote(e5), quote(e6), quote(e7), quote(e8), quote(e9), quote(e10) FROM oracle)
-- expect: SELECT count(*) AS sqlite_not_sluice FROM (SELECT id, quote(e1), quote(e2), quote(e3), quote(e4), quote(e5), quote(e6), quote(e7), quote(e8), quote(e9), quote(e10) FROM oracle EXCEPT SELECT id, quote(e1), quote(e2), quote(e3), quote(e4), quote(e5), quote(e6), quote(e7), quote(e8), quote(e9), quote(e10) FROM extracted)
