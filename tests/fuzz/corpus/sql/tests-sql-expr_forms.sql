-- Expression forms beyond arithmetic and comparison, checked against SQLite
-- (the oracle) row by row: IS [NOT] NULL and its spellings, IS [NOT]
-- [DISTINCT FROM], [NOT] IN, [NOT] BETWEEN, [NOT] LIKE [ESCAPE], GLOB, both
-- CASE forms, CAST, and their precedence. Both sides are compared with
-- quote(), so a value's type (1 vs 1.0 vs '1') must agree too.
CREATE STREAM vals (id INTEGER, i INTEGER, r REAL, t TEXT)
  FROM FILE 'data/expr_values.csv' FORMAT CSV (header = true, null = 'NA');
CREATE QUERY forms AS
  SELECT id,
         i IS NULL AS e0,
         t IS NOT NULL AS e1,
         r ISNULL AS e2,
         i NOTNULL AS e3,
         t NOT NULL AS e4,
         i IS 5 AS e5,
         i IS NOT r AS e6,
         t IS NOT DISTINCT FROM 'abc' AS e7,
         i IS DISTINCT FROM NULL AS e8,
         NULL IS r AS e9,
         i IN (5, 7, 100) AS e10,
         i NOT IN (5, 7, 100) AS e11,
         i IN (2, NULL) AS e12,
         i NOT IN (2, NULL) AS e13,
         t IN ('abc', 'É', i) AS e14,
         r IN (2.5, 10) AS e15,
         i IN () AS e16,
         i NOT IN () AS e17,
         i BETWEEN 0 AND 7 AS e18,
         i NOT BETWEEN -3 AND 5 AS e19,
         r BETWEEN i AND 10 AS e20,
         t BETWEEN 'a' AND 'b' AS e21,
         i BETWEEN NULL AND 6 AS e22,
         t LIKE 'a%' AS e23,
         t NOT LIKE '%B%' AS e24,
         t LIKE '_b_' AS e25,
         t LIKE 'a\%b' ESCAPE '\' AS e26,
         t LIKE '%ß%' AS e27,
         t LIKE 'é' AS e28,
         t LIKE '' AS e29,
         i LIKE '1%' AS e30,
         t LIKE 'x_y%' AS e31,
         t LIKE '%' ESCAPE NULL AS e32,
         t GLOB 'a*' AS e33,
         t GLOB '[A-Z]*' AS e34,
         t NOT GLOB '*[^a-z]*' AS e35,
         t GLOB '?b?' AS e36,
         t GLOB 'x_y[*]z' AS e37,
         r GLOB '*.5' AS e38,
         CASE WHEN i > 0 THEN 'pos' WHEN i < 0 THEN 'neg' END AS e39,
         CASE WHEN i > 0 THEN i ELSE r END AS e40,
         CASE i WHEN 5 THEN 'five' WHEN 10 THEN 'ten' ELSE t END AS e41,
         CASE t WHEN 'abc' THEN 1 WHEN NULL THEN 2 ELSE 0 END AS e42,
         CASE WHEN r IS NULL THEN -1 ELSE i * 2 END AS e43,
         CASE WHEN i THEN 'truthy' ELSE 'falsy' END AS e44,
         CAST(r AS INTEGER) AS e45,
         CAST(t AS INTEGER) AS e46,
         CAST(i AS REAL) AS e47,
         CAST(t AS REAL) AS e48,
         CAST(r AS TEXT) AS e49,
         CAST(i AS TEXT) AS e50,
         CAST(i > 0 AS INTEGER) AS e51,
         CAST(t AS BOOLEAN) AS e52,
         CAST(r * 1e18 AS INTEGER) AS e53,
         NOT i IS NULL AND i IN (5, -3) AS e54,
         i = 5 IS 1 AS e55,
         1 < 2 = 1 AS e56,
         2 = 1 < 2 AS e57,
         i + 1 BETWEEN 1 AND 6 = 1 AS e58,
         - i IS NULL AS e59,
         t || 'x' LIKE '%cx' AS e60
  FROM vals;
-- load: oracle(id INTEGER, i INTEGER, r REAL, t TEXT) data/expr_values.csv null=NA
-- expect: SELECT count(*) FROM (SELECT id, quote(e0), quote(e1), quote(e2), quote(e3), quote(e4), quote(e5), quote(e6), quote(e7), quote(e8), quote(e9), quote(e10), quote(e11), quote(e12), quote(e13), quote(e14), quote(e15), quote(e16), quote(e17), quote(e18), quote(e19), quote(e20), quote(e21), quote(e22), quote(e23), quote(e24), quote(e25), quote(e26), quote(e27), quote(e28), quote(e29), quote(e30), quote(e31), quote(e32), quote(e33), quote(e34), quote(e35), quote(e36), quote(e37), quote(e38), quote(e39), quote(e40), quote(e41), quote(e42), quote(e43), quote(e44), quote(e45), quote(e46), quote(e47), quote(e48), quote(e49), quote(e50), quote(e51), quote(e52), quote(e53), quote(e54), quote(e55), quote(e56), quote(e57), quote(e58), quote(e59), quote(e60) FROM forms EXCEPT SELECT id, quote(i IS NULL), quote(t IS NOT NULL), quote(r ISNULL), quote(i NOTNULL), quote(t NOT NULL), quote(i IS 5), quote(i IS NOT r), quote(t IS NOT DISTINCT FROM 'abc'), quote(i IS DISTINCT FROM NULL), quote(NULL IS r), quote(i IN (5, 7, 100)), quote(i NOT IN (5, 7, 100)), quote(i IN (2, NULL)), quote(i NOT IN (2, NULL)), quote(t IN ('abc', 'É', i)), quote(r IN (2.5, 10)), quote(i IN ()), quote(i NOT IN ()), quote(i BETWEEN 0 AND 7), quote(i NOT BETWEEN -3 AND 5), quote(r BETWEEN i AND 10), quote(t BETWEEN 'a' AND 'b'), quote(i BETWEEN NULL AND 6), quote(t LIKE 'a%'), quote(t NOT LIKE '%B%'), quote(t LIKE '_b_'), quote(t LIKE 'a\%b' ESCAPE '\'), quote(t LIKE '%ß%'), quote(t LIKE 'é'), quote(t LIKE ''), quote(i LIKE '1%'), quote(t LIKE 'x_y%'), quote(t LIKE '%' ESCAPE NULL), quote(t GLOB 'a*'), quote(t GLOB '[A-Z]*'), quote(t NOT GLOB '*[^a-z]*'), quote(t GLOB '?b?'), quote(t GLOB 'x_y[*]z'), quote(r GLOB '*.5'), quote(CASE WHEN i > 0 THEN 'pos' WHEN i < 0 THEN 'neg' END), quote(CASE WHEN i > 0 THEN i ELSE r END), quote(CASE i WHEN 5 THEN 'five' WHEN 10 THEN 'ten' ELSE t END), quote(CASE t WHEN 'abc' THEN 1 WHEN NULL THEN 2 ELSE 0 END), quote(CASE WHEN r IS NULL THEN -1 ELSE i * 2 END), quote(CASE WHEN i THEN 'truthy' ELSE 'falsy' END), quote(CAST(r AS INTEGER)), quote(CAST(t AS INTEGER)), quote(CAST(i AS REAL)), quote(CAST(t AS REAL)), quote(CAST(r AS TEXT)), quote(CAST(i AS TEXT)), quote(CAST(i > 0 AS INTEGER)), quote(CAST(t AS BOOLEAN)), quote(CAST(r * 1e18 AS INTEGER)), quote(NOT i IS NULL AND i IN (5, -3)), quote(i = 5 IS 1), quote(1 < 2 = 1), quote(2 = 1 < 2), quote(i + 1 BETWEEN 1 AND 6 = 1), quote(- i IS NULL), quote(t || 'x' LIKE '%cx') FROM oracle)
-- expect: SELECT count(*) FROM (SELECT id, quote(i IS NULL), quote(t IS NOT NULL), quote(r ISNULL), quote(i NOTNULL), quote(t NOT NULL), quote(i IS 5), quote(i IS NOT r), quote(t IS NOT DISTINCT FROM 'abc'), quote(i IS DISTINCT FROM NULL), quote(NULL IS r), quote(i IN (5, 7, 100)), quote(i NOT IN (5, 7, 100)), quote(i IN (2, NULL)), quote(i NOT IN (2, NULL)), quote(t IN ('abc', 'É', i)), quote(r IN (2.5, 10)), quote(i IN ()), quote(i NOT IN ()), quote(i BETWEEN 0 AND 7), quote(i NOT BETWEEN -3 AND 5), quote(r BETWEEN i AND 10), quote(t BETWEEN 'a' AND 'b'), quote(i BETWEEN NULL AND 6), quote(t LIKE 'a%'), quote(t NOT LIKE '%B%'), quote(t LIKE '_b_'), quote(t LIKE 'a\%b' ESCAPE '\'), quote(t LIKE '%ß%'), quote(t LIKE 'é'), quote(t LIKE ''), quote(i LIKE '1%'), quote(t LIKE 'x_y%'), quote(t LIKE '%' ESCAPE NULL), quote(t GLOB 'a*'), quote(t GLOB '[A-Z]*'), quote(t NOT GLOB '*[^a-z]*'), quote(t GLOB '?b?'), quote(t GLOB 'x_y[*]z'), quote(r GLOB '*.5'), quote(CASE WHEN i > 0 THEN 'pos' WHEN i < 0 THEN 'neg' END), quote(CASE WHEN i > 0 THEN i ELSE r END), quote(CASE i WHEN 5 THEN 'five' WHEN 10 THEN 'ten' ELSE t END), quote(CASE t WHEN 'abc' THEN 1 WHEN NULL THEN 2 ELSE 0 END), quote(CASE WHEN r IS NULL THEN -1 ELSE i * 2 END), quote(CASE WHEN i THEN 'truthy' ELSE 'falsy' END), quote(CAST(r AS INTEGER)), quote(CAST(t AS INTEGER)), quote(CAST(i AS REAL)), quote(CAST(t AS REAL)), quote(CAST(r AS TEXT)), quote(CAST(i AS TEXT)), quote(CAST(i > 0 AS INTEGER)), quote(CAST(t AS BOOLEAN)), quote(CAST(r * 1e18 AS INTEGER)), quote(NOT i IS NULL AND i IN (5, -3)), quote(i = 5 IS 1), quote(1 < 2 = 1), quote(2 = 1 < 2), quote(i + 1 BETWEEN 1 AND 6 = 1), quote(- i IS NULL), quote(t || 'x' LIKE '%cx') FROM oracle EXCEPT SELECT id, quote(e0), quote(e1), quote(e2), quote(e3), quote(e4), quote(e5), quote(e6), quote(e7), quote(e8), quote(e9), quote(e10), quote(e11), quote(e12), quote(e13), quote(e14), quote(e15), quote(e16), quote(e17), quote(e18), quote(e19), quote(e20), quote(e21), quote(e22), quote(e23), quote(e24), quote(e25), quote(e26), quote(e27), quote(e28), quote(e29), quote(e30), quote(e31), quote(e32), quote(e33), quote(e34), quote(e35), quote(e36), quote(e37), quote(e38), quote(e39), quote(e40), quote(e41), quote(e42), quote(e43), quote(e44), quote(e45), quote(e46), quote(e47), quote(e48), quote(e49), quote(e50), quote(e51), quote(e52), quote(e53), quote(e54), quote(e55), quote(e56), quote(e57), quote(e58), quote(e59), quote(e60) FROM forms)
-- expect: SELECT count(*) FROM forms
-- expect: SELECT * FROM forms ORDER BY rowid
