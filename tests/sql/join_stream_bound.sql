-- A join of two streams, bound: the ON condition cut into a key, the time
-- bound right.ts - left.ts in [1 us, 30 min] (o.ts < s.ts is strict: +1 us)
-- and a residual, as EXPLAIN shows the join (after each side's watermark).
-- stdout
CREATE STREAM orders (id INTEGER, customer INTEGER, qty INTEGER, ts TIMESTAMP,
                      WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
  FROM FILE 'data/join_orders.csv' FORMAT CSV (header = true, null = 'NA');
CREATE STREAM ships (order_id INTEGER, carrier TEXT, ts TIMESTAMP, WATERMARK FOR ts AS ts)
  FROM FILE 'data/join_ships.csv' FORMAT CSV (header = true);
EXPLAIN SELECT * FROM orders o LEFT JOIN ships s
  ON s.order_id = o.id AND o.ts < s.ts AND s.ts <= o.ts + INTERVAL '30' MINUTE AND s.carrier <> 'x';
