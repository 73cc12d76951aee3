-- Joins: the errors of the JOIN front end, each with its caret and hint —
-- names (ambiguous, unknown qualifier, unknown table), the ON condition a
-- lookup needs, the time bound two streams need, and the joins Sluice does
-- not run.
-- setup: CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, city TEXT)
-- setup: CREATE TABLE tags (cust INT, tag TEXT)
CREATE STREAM orders (id INTEGER, customer INTEGER, qty INTEGER, ts TIMESTAMP,
                      WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
  FROM FILE 'data/join_orders.csv' FORMAT CSV (header = true, null = 'NA');
CREATE STREAM ships (order_id INTEGER, carrier TEXT, ts TIMESTAMP, WATERMARK FOR ts AS ts)
  FROM FILE 'data/join_ships.csv' FORMAT CSV (header = true);
CREATE STREAM plain (order_id INTEGER, carrier TEXT) FROM FILE 'data/join_ships.csv' FORMAT CSV (header = true);

-- Names.
SELECT id FROM orders o JOIN customers c ON o.customer = c.id;
SELECT o.id, x.name FROM orders o JOIN customers c ON o.customer = c.id;
SELECT o.id, c.nmae FROM orders o JOIN customers c ON o.customer = c.id;
SELECT * FROM orders o JOIN customers c ON o.customer = t.cust JOIN tags t ON t.cust = c.id;
SELECT * FROM orders JOIN orders ON orders.id = orders.id;
SELECT * FROM orders o JOIN custmers c ON o.customer = c.id;
SELECT * FROM orders o JOIN aux.customers c ON o.customer = c.id;
SELECT * FROM customers c JOIN orders o ON o.customer = c.id;

-- What a lookup's ON condition needs.
SELECT * FROM orders o JOIN customers c ON o.qty > c.id;
SELECT * FROM orders o JOIN customers c ON o.customer + 1 = c.id + 1;
SELECT * FROM orders o JOIN customers c ON count(*) = c.id;
SELECT * FROM orders o JOIN customers c ON c.name;

-- Two streams: event time and a time bound.
SELECT * FROM orders o JOIN ships s ON o.id = s.order_id;
SELECT * FROM orders o JOIN ships s ON o.id = s.order_id AND s.ts >= o.ts;
SELECT * FROM orders o JOIN plain p ON o.id = p.order_id;
SELECT * FROM orders o JOIN ships s ON o.id = s.order_id AND s.ts BETWEEN o.ts + INTERVAL '1' HOUR AND o.ts;
SELECT count(*) FROM orders o JOIN ships s ON o.id = s.order_id WINDOW SESSION (GAP 1 MINUTE);
SELECT * FROM orders o JOIN customers c ON o.customer = c.id JOIN ships s ON o.id = s.order_id AND s.ts BETWEEN o.ts AND o.ts + INTERVAL '1' HOUR;

-- Joins Sluice does not run.
SELECT * FROM orders o RIGHT JOIN customers c ON o.customer = c.id;
SELECT * FROM orders o FULL OUTER JOIN customers c ON o.customer = c.id;
SELECT * FROM orders NATURAL JOIN customers;
SELECT * FROM orders CROSS JOIN customers;
SELECT * FROM orders, customers;
SELECT * FROM orders o JOIN customers c;
SELECT * FROM orders o JOIN customers c USING (id);
SELECT * FROM orders, UNNEST(split('a b', ' ')) AS w JOIN customers c ON c.id = orders.customer;

SELECT left, o.right FROM orders o;
