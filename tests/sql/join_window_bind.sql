-- mode: check
-- A window join the SELECT does not aggregate: each pair comes with its
-- window, window_start and window_end, unqualified columns after the right
-- stream's (and in *); the right's alias does not qualify them. Checked
-- without a database, so a table is unknown (with a hint saying why).
CREATE STREAM orders (id INTEGER, customer INTEGER, qty INTEGER, ts TIMESTAMP,
                      WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
  FROM FILE 'data/join_orders.csv' FORMAT CSV (header = true, null = 'NA');
CREATE STREAM ships (order_id INTEGER, carrier TEXT, ts TIMESTAMP, WATERMARK FOR ts AS ts)
  FROM FILE 'data/join_ships.csv' FORMAT CSV (header = true);
SELECT o.id, s.carrier, window_start, window_end FROM orders o JOIN ships s ON o.id = s.order_id
  WHERE window_end > o.ts WINDOW TUMBLING (SIZE 1 HOUR);
SELECT * FROM orders o JOIN ships s ON o.id = s.order_id WINDOW TUMBLING (SIZE 1 HOUR);
SELECT s.window_start FROM orders o JOIN ships s ON o.id = s.order_id WINDOW TUMBLING (SIZE 1 HOUR);
SELECT window_start FROM orders o JOIN ships s ON o.id = s.order_id AND s.ts BETWEEN o.ts AND o.ts + INTERVAL '1' MINUTE;
-- Without --db, sluice check sees no tables.
SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer;
-- A derived side must pass its stream's event time through.
SELECT * FROM orders o JOIN (SELECT order_id, carrier FROM ships) s ON o.id = s.order_id WINDOW TUMBLING (SIZE 1 HOUR);
SELECT x.id, s.carrier FROM (SELECT id, ts FROM orders WHERE qty > 1) x JOIN (SELECT order_id, carrier, ts FROM ships) s
  ON x.id = s.order_id AND s.ts BETWEEN x.ts AND x.ts + INTERVAL '1' HOUR;
