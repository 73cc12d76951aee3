-- Lookup joins in other places of a query, each against SQLite's join of the
-- same rows: inside a derived table, before UNNEST (over a table's column),
-- an anti-join (LEFT JOIN ... WHERE t.col IS NULL), keys of other types
-- (TEXT key against an INTEGER column, an expression as the left key), and
-- an event-time window aggregation over the joined rows.
-- setup: CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, city TEXT, tags TEXT)
-- setup: INSERT INTO customers VALUES (10, 'ann', 'paris', 'a;b'), (11, 'bob', 'rome', 'c'), (12, 'cy', NULL, NULL)
-- load: orders_t(id INTEGER, customer INTEGER, qty INTEGER, ts TEXT) data/join_orders.csv null=NA
CREATE STREAM orders (id INTEGER, customer INTEGER, qty INTEGER, ts TIMESTAMP,
                      WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
  FROM FILE 'data/join_orders.csv' FORMAT CSV (header = true, null = 'NA');

CREATE QUERY in_derived AS
  SELECT who, sum(qty) AS qty
  FROM (SELECT c.name AS who, o.qty FROM orders o JOIN customers c ON c.id = o.customer) AS x
  GROUP BY who;
CREATE QUERY with_unnest AS
  SELECT o.id, tag FROM orders o JOIN customers c ON c.id = o.customer, UNNEST(split(c.tags, ';')) AS tag;
CREATE QUERY anti AS
  SELECT o.id, o.customer FROM orders o LEFT JOIN customers c ON c.id = o.customer WHERE c.id IS NULL;
CREATE QUERY text_key AS
  SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = CAST(o.customer AS TEXT);
CREATE QUERY expr_key AS
  SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer - o.qty + o.qty;
CREATE QUERY windowed AS
  SELECT window_start, c.city, count(*) AS n
  FROM orders o JOIN customers c ON c.id = o.customer
  GROUP BY c.city WINDOW TUMBLING (SIZE 4 SECONDS) EMIT FINAL;

-- expect: SELECT * FROM in_derived ORDER BY who
-- expect: SELECT c.name, sum(o.qty) FROM orders_t o JOIN customers c ON c.id = o.customer GROUP BY 1 ORDER BY 1
-- expect: SELECT * FROM with_unnest ORDER BY id, tag
-- expect: SELECT o.id, j.value FROM orders_t o JOIN customers c ON c.id = o.customer, json_each('["' || replace(c.tags, ';', '","') || '"]') j ORDER BY 1, 2
-- expect: SELECT * FROM anti ORDER BY id
-- expect: SELECT o.id, o.customer FROM orders_t o LEFT JOIN customers c ON c.id = o.customer WHERE c.id IS NULL ORDER BY 1
-- expect: SELECT * FROM text_key ORDER BY id
-- expect: SELECT o.id, c.name FROM orders_t o JOIN customers c ON c.id = CAST(o.customer AS TEXT) ORDER BY 1
-- expect: SELECT * FROM expr_key ORDER BY id
-- expect: SELECT o.id, c.name FROM orders_t o JOIN customers c ON c.id = o.customer - o.qty + o.qty ORDER BY 1
-- expect: SELECT * FROM windowed ORDER BY window_start, city
-- expect: SELECT datetime(strftime('%s', o.ts) / 4 * 4, 'unixepoch') AS ws, c.city, count(*) FROM orders_t o JOIN customers c ON c.id = o.customer GROUP BY 1, 2 ORDER BY 1, 2
