-- mode: check
-- Errors of TIMESTAMP / INTERVAL literals, ->>, SET, ORDER BY and LIMIT, all
-- reported in one run. TIMESTAMP, DAY and the other unit words stay usable as
-- column names (the stream and query "names" bind without an error).
CREATE STREAM ev (id INTEGER, timestamp TIMESTAMP, day TEXT, doc TEXT)
  FROM FILE 'data/lit_times.csv' FORMAT CSV (header = true);
CREATE QUERY names AS SELECT timestamp, day, ev.timestamp + INTERVAL '1' DAY AS next FROM ev;
CREATE QUERY q1 AS SELECT TIMESTAMP '2026-13-01 00:00:00', TIMESTAMP 'noon' FROM ev;
CREATE QUERY q2 AS SELECT INTERVAL '1.5' SECOND, INTERVAL '5', INTERVAL '3 fortnights' FROM ev;
CREATE QUERY q3 AS SELECT doc ->> day, doc ->> 1.5, doc ->> '' FROM ev;
CREATE QUERY q4 AS SELECT id FROM ev ORDER BY id;
CREATE QUERY q5 AS SELECT id FROM ev LIMIT 10;
SELECT id, day FROM ev ORDER BY nope, 3, upper(day) LIMIT -1;
SET triger = '1 second';
SET trigger = 'soon';
SET trigger = INTERVAL '0' SECONDS;
