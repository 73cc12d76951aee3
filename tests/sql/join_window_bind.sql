-- mode: check
-- A window join the SELECT does not aggregate: each pair comes with its
-- window, window_start and window_end, unqualified columns after the right
-- stream's (and in *); the right's alias does not qualify them.
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
