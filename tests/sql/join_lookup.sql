-- Lookup joins: a stream joined with SQLite tables of the database, each
-- checked against SQLite's own join of the same rows (the oracle: the stream
-- loaded as table orders_t). Inner, LEFT, one-to-many, two keys, NULL keys
-- (a NULL matches nothing, as =), a residual ON, a chain of two lookups, an
-- aggregation over a lookup, and EXPLAIN's line for each (index or scan).
-- setup: CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, city TEXT)
-- setup: INSERT INTO customers VALUES (10, 'ann', 'paris'), (11, 'bob', 'rome'), (12, 'cy', NULL)
-- setup: CREATE TABLE tags (cust INT, tag TEXT)
-- setup: INSERT INTO tags VALUES (10, 'vip'), (10, 'new'), (11, 'old'), (NULL, 'ghost')
-- setup: CREATE TABLE discounts (cust INTEGER, qty INTEGER, pct REAL)
-- setup: CREATE INDEX discounts_key ON discounts (cust, qty)
-- setup: INSERT INTO discounts VALUES (10, 2, 0.1), (10, 5, 0.2), (11, 2, 0.05), (12, 7, 0.5)
-- stdout
-- load: orders_t(id INTEGER, customer INTEGER, qty INTEGER, ts TEXT) data/join_orders.csv null=NA
CREATE STREAM orders (id INTEGER, customer INTEGER, qty INTEGER, ts TIMESTAMP,
                      WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
  FROM FILE 'data/join_orders.csv' FORMAT CSV (header = true, null = 'NA');

EXPLAIN SELECT o.id, c.name FROM orders o JOIN customers c ON o.customer = c.id;
EXPLAIN SELECT o.id, d.pct FROM orders o LEFT JOIN discounts d ON d.cust = o.customer AND d.qty = o.qty;
EXPLAIN SELECT o.id, t.tag FROM orders o JOIN tags t ON t.cust = o.customer AND t.tag <> 'new';

CREATE QUERY inner_j AS SELECT o.id, c.name, c.city FROM orders o JOIN customers c ON o.customer = c.id;
CREATE QUERY left_j AS SELECT o.id, o.customer, c.name FROM orders AS o LEFT OUTER JOIN customers AS c ON c.id = o.customer;
CREATE QUERY many AS SELECT o.id, t.tag FROM orders o JOIN tags t ON t.cust = o.customer;
CREATE QUERY two_keys AS SELECT o.*, d.pct FROM orders o LEFT JOIN discounts d ON d.cust = o.customer AND d.qty = o.qty;
CREATE QUERY residual AS SELECT o.id, t.tag FROM orders o LEFT JOIN tags t ON t.cust = o.customer AND t.tag <> 'new';
CREATE QUERY chain AS
  SELECT o.id, c.name, t.tag FROM orders o
  JOIN customers c ON c.id = o.customer
  LEFT JOIN tags t ON t.cust = c.id
  WHERE o.qty > 1;
CREATE QUERY per_city AS
  SELECT c.city, count(*) AS n, sum(o.qty) AS qty FROM orders o JOIN customers c ON o.customer = c.id
  GROUP BY c.city;
CREATE QUERY derived AS
  SELECT x.id, c.name FROM (SELECT id, customer + 0 AS k FROM orders WHERE qty < 5) AS x
  JOIN customers c ON c.id = x.k;

-- expect: SELECT * FROM inner_j ORDER BY id
-- expect: SELECT o.id, c.name, c.city FROM orders_t o JOIN customers c ON o.customer = c.id ORDER BY o.id
-- expect: SELECT * FROM left_j ORDER BY id
-- expect: SELECT o.id, o.customer, c.name FROM orders_t o LEFT JOIN customers c ON c.id = o.customer ORDER BY o.id
-- expect: SELECT * FROM many ORDER BY id, tag
-- expect: SELECT o.id, t.tag FROM orders_t o JOIN tags t ON t.cust = o.customer ORDER BY 1, 2
-- expect: SELECT id, customer, qty, pct FROM two_keys ORDER BY id
-- expect: SELECT o.id, o.customer, o.qty, d.pct FROM orders_t o LEFT JOIN discounts d ON d.cust = o.customer AND d.qty = o.qty ORDER BY o.id
-- expect: SELECT * FROM residual ORDER BY id, tag
-- expect: SELECT o.id, t.tag FROM orders_t o LEFT JOIN tags t ON t.cust = o.customer AND t.tag <> 'new' ORDER BY 1, 2
-- expect: SELECT * FROM chain ORDER BY id, tag
-- expect: SELECT o.id, c.name, t.tag FROM orders_t o JOIN customers c ON c.id = o.customer LEFT JOIN tags t ON t.cust = c.id WHERE o.qty > 1 ORDER BY 1, 3
-- expect: SELECT * FROM per_city ORDER BY city
-- expect: SELECT c.city, count(*), sum(o.qty) FROM orders_t o JOIN customers c ON o.customer = c.id GROUP BY c.city ORDER BY 1
-- expect: SELECT * FROM derived ORDER BY id
-- expect: SELECT o.id, c.name FROM orders_t o JOIN customers c ON c.id = o.customer + 0 WHERE o.qty < 5 ORDER BY 1
