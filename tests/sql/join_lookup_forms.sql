-- Lookup joins in other places of a query, each against SQLite's join of the
-- same rows: inside a derived table, before UNNEST (over a table's column),
-- an anti-join (LEFT JOIN ... WHERE t.col IS NULL), keys of other types
-- (TEXT key against an INTEGER column, an expression as the left key; an
-- INTEGER or TEXT key against a TEXT or untyped column, converted as SQLite's
-- = converts them), and
-- an event-time window aggregation over the joined rows; a key with 3000
-- rows (more than a chunk holds) under LEFT with a residual.
-- setup: CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, city TEXT, tags TEXT)
-- setup: INSERT INTO customers VALUES (10, 'ann', 'paris', 'a;b'), (11, 'bob', 'rome', 'c'), (12, 'cy', NULL, NULL)
-- setup: CREATE TABLE codes (c TEXT, label TEXT)
-- setup: INSERT INTO codes VALUES ('010', 'zero-ten'), ('11', 'eleven'), ('12.0', 'twelve-point')
-- setup: CREATE TABLE raw (c, label)
-- setup: INSERT INTO raw VALUES (10, 'int ten'), ('11', 'text eleven'), (12.0, 'real twelve'), ('13', 'text thirteen')
-- setup: CREATE TABLE many AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000) SELECT 10 AS cust, x FROM c
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
CREATE QUERY int_text AS SELECT o.id, k.label FROM orders o JOIN codes k ON k.c = o.customer;
CREATE QUERY int_raw AS SELECT o.id, r.label FROM orders o JOIN raw r ON r.c = o.customer;
CREATE QUERY text_raw AS SELECT o.id, r.label FROM orders o JOIN raw r ON r.c = CAST(o.customer AS TEXT);
CREATE QUERY expr_raw AS SELECT o.id, r.label FROM orders o JOIN raw r ON r.c = o.customer + 0;
CREATE QUERY fan_out AS
  SELECT o.id, count(*) AS n, count(m.x) AS matched, sum(m.x) AS s
  FROM orders o LEFT JOIN many m ON m.cust = o.customer AND m.x % 2 = 0 GROUP BY o.id;
CREATE QUERY fan_none AS
  SELECT o.id, m.x FROM orders o LEFT JOIN many m ON m.cust = o.customer AND m.x > 2999 + o.qty;

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
-- expect: SELECT * FROM int_text ORDER BY id, label
-- expect: SELECT o.id, k.label FROM orders_t o JOIN codes k ON k.c = o.customer ORDER BY 1, 2
-- expect: SELECT * FROM int_raw ORDER BY id, label
-- expect: SELECT o.id, r.label FROM orders_t o JOIN raw r ON r.c = o.customer ORDER BY 1, 2
-- expect: SELECT * FROM text_raw ORDER BY id, label
-- expect: SELECT o.id, r.label FROM orders_t o JOIN raw r ON r.c = CAST(o.customer AS TEXT) ORDER BY 1, 2
-- expect: SELECT * FROM expr_raw ORDER BY id, label
-- expect: SELECT o.id, r.label FROM orders_t o JOIN raw r ON r.c = o.customer + 0 ORDER BY 1, 2
-- expect: SELECT * FROM fan_out ORDER BY id
-- expect: SELECT o.id, count(*), count(m.x), sum(m.x) FROM orders_t o LEFT JOIN many m ON m.cust = o.customer AND m.x % 2 = 0 GROUP BY o.id ORDER BY 1
-- expect: SELECT * FROM fan_none ORDER BY id
-- expect: SELECT o.id, m.x FROM orders_t o LEFT JOIN many m ON m.cust = o.customer AND m.x > 2999 + o.qty ORDER BY 1
