-- Derived tables, FROM (SELECT ...) [AS] t: the inner SELECT filters,
-- projects and unnests; the outer one does what a SELECT over a stream does.
-- Each query is checked against SQLite computing the same derived table over
-- the same rows (the oracle; SQLite's json_each stands in for UNNEST(split())).
CREATE STREAM vals (id INTEGER, i INTEGER, r REAL, t TEXT)
  FROM FILE 'data/expr_values.csv' FORMAT CSV (header = true, null = 'NA');
CREATE STREAM sales (city TEXT, items TEXT) FROM FILE 'data/items.csv' FORMAT CSV (header = true);

-- Aliases, expressions, qualified and bare names, a WHERE on each side.
CREATE QUERY proj AS
  SELECT t.id, d, t.u || '!' AS shout, d * 2 AS dd, r
  FROM (SELECT id, i * 2 + 1 AS d, upper(t) AS u, r FROM vals WHERE i IS NOT NULL) AS t
  WHERE d > 0 OR u LIKE 'A%';

-- `*` inside and out; an unaliased expression is named as in a result table.
CREATE QUERY star AS SELECT * FROM (SELECT *, length(t), id * 2 FROM vals WHERE id < 5) v;

-- Nested, without aliases; a column keeps its expression's affinity:
-- i and CAST(... AS TEXT) have one, i + 0 none (so j = '7' is never true).
CREATE QUERY nested AS
  SELECT id FROM (SELECT * FROM (SELECT id, i, CAST(r AS TEXT) AS rt, i + 0 AS j FROM vals))
  WHERE i = '5' OR rt = 2.5 OR j = '7' OR rt = '1000.0';

-- An aggregation over a derived table.
CREATE QUERY agg AS
  SELECT parity, count(*) AS n, sum(d) AS s, max(u) AS top
  FROM (SELECT i % 2 AS parity, i * 10 AS d, upper(t) AS u FROM vals) AS x
  GROUP BY parity HAVING count(*) > 1;

-- UNNEST inside, then grouped outside (the example of docs/sql.md).
CREATE QUERY per_item AS
  SELECT item, count(*) AS n
  FROM (SELECT upper(city) AS city, item
        FROM sales, UNNEST(split(items, ';')) AS item
        WHERE item <> '') AS s
  WHERE city <> 'SKIP'
  GROUP BY item;

-- UNNEST outside, over a column of the derived table; t.* is its columns alone.
CREATE QUERY outer_unnest AS
  SELECT s.*, item
  FROM (SELECT upper(city) AS c, items FROM sales WHERE city <> 'skip') AS s,
       UNNEST(split(s.items, ';')) AS item;

-- An array the derived table selects, unnested outside.
CREATE QUERY parts AS
  SELECT item, count(*) AS n
  FROM (SELECT split(items, ';') AS parts FROM sales) AS s CROSS JOIN UNNEST(parts) AS item
  GROUP BY item;

-- load: oracle(id INTEGER, i INTEGER, r REAL, t TEXT) data/expr_values.csv null=NA
-- load: sales_oracle data/items.csv
-- expect: SELECT * FROM proj ORDER BY rowid
-- expect: SELECT count(*) FROM (SELECT * FROM proj EXCEPT SELECT t.id, d, t.u || '!' AS shout, d * 2 AS dd, r FROM (SELECT id, i * 2 + 1 AS d, upper(t) AS u, r FROM oracle WHERE i IS NOT NULL) AS t WHERE d > 0 OR u LIKE 'A%')
-- expect: SELECT count(*) FROM (SELECT t.id, d, t.u || '!' AS shout, d * 2 AS dd, r FROM (SELECT id, i * 2 + 1 AS d, upper(t) AS u, r FROM oracle WHERE i IS NOT NULL) AS t WHERE d > 0 OR u LIKE 'A%' EXCEPT SELECT * FROM proj)
-- expect: SELECT group_concat(name, ', ') FROM pragma_table_info('star')
-- expect: SELECT * FROM star ORDER BY rowid
-- expect: SELECT count(*) FROM (SELECT quote(id), quote(i), quote(r), quote(t), quote("length(t)"), quote("(id * 2)") FROM star EXCEPT SELECT quote(id), quote(i), quote(r), quote(t), quote(length(t)), quote(id * 2) FROM (SELECT * FROM oracle WHERE id < 5))
-- expect: SELECT group_concat(id, ', ') FROM nested
-- expect: SELECT group_concat(id, ', ') FROM (SELECT id FROM (SELECT * FROM (SELECT id, i, CAST(r AS TEXT) AS rt, i + 0 AS j FROM oracle)) WHERE i = '5' OR rt = 2.5 OR j = '7' OR rt = '1000.0')
-- expect: SELECT * FROM agg ORDER BY parity
-- expect: SELECT parity, count(*) AS n, sum(d) AS s, max(u) AS top FROM (SELECT i % 2 AS parity, i * 10 AS d, upper(t) AS u FROM oracle) AS x GROUP BY parity HAVING count(*) > 1 ORDER BY parity
-- expect: SELECT * FROM per_item ORDER BY item
-- expect: SELECT item, count(*) AS n FROM (SELECT upper(nullif(city, '')) AS city, j.value AS item FROM sales_oracle, json_each('["' || replace(nullif(items, ''), ';', '","') || '"]') AS j WHERE item <> '') AS s WHERE city <> 'SKIP' GROUP BY item ORDER BY item
-- expect: SELECT * FROM outer_unnest ORDER BY rowid
-- expect: SELECT s.*, j.value AS item FROM (SELECT upper(nullif(city, '')) AS c, nullif(items, '') AS items FROM sales_oracle WHERE nullif(city, '') <> 'skip') AS s, json_each('["' || replace(s.items, ';', '","') || '"]') AS j
-- expect: SELECT * FROM parts ORDER BY item
-- expect: SELECT j.value AS item, count(*) AS n FROM (SELECT nullif(items, '') AS items FROM sales_oracle) AS s, json_each('["' || replace(s.items, ';', '","') || '"]') AS j GROUP BY item ORDER BY item
