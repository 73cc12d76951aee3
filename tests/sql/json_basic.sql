-- FORMAT JSON: one object per line; a column is the top-level key of its name
-- (case-sensitive: "ID" is not "id") or the value at its PATH; a missing key or
-- null is NULL, an object or array read as TEXT is its compact JSON; blank lines
-- and "\r\n" endings are fine. SQLite's json_extract over the same lines is the oracle.
CREATE STREAM orders (id BIGINT, user_id BIGINT PATH '$.user.id', name TEXT PATH '$.user.name',
                      price BIGINT, ok BOOLEAN, ts TIMESTAMP, tags TEXT,
                      second_sku TEXT PATH '$.items[1].sku')
  FROM FILE 'data/json_orders.ndjson' FORMAT JSON;
CREATE QUERY all_orders AS SELECT * FROM orders;
CREATE QUERY per_user AS
  SELECT user_id, COUNT(*) AS n, SUM(price) AS total, MAX(name) AS name
  FROM orders GROUP BY user_id;
-- expect: SELECT id, user_id, name, price, ok, ts, tags, second_sku FROM all_orders ORDER BY id
-- expect: SELECT user_id, n, total, name FROM per_user ORDER BY user_id
-- expect: WITH RECURSIVE l(line, rest) AS (SELECT NULL, CAST(readfile('data/json_orders.ndjson') AS TEXT) UNION ALL SELECT substr(rest, 1, instr(rest, char(10)) - 1), substr(rest, instr(rest, char(10)) + 1) FROM l WHERE instr(rest, char(10)) > 0) SELECT json_extract(line, '$.user.id') AS u, count(*), sum(json_extract(line, '$.price')), max(json_extract(line, '$.user.name')) FROM l WHERE trim(line, ' ' || char(13)) <> '' GROUP BY u ORDER BY u
-- expect: WITH RECURSIVE l(line, rest) AS (SELECT NULL, CAST(readfile('data/json_orders.ndjson') AS TEXT) UNION ALL SELECT substr(rest, 1, instr(rest, char(10)) - 1), substr(rest, instr(rest, char(10)) + 1) FROM l WHERE instr(rest, char(10)) > 0), o AS (SELECT json_extract(line, '$.id') AS id, json_extract(line, '$.user.id') AS user_id, json_extract(line, '$.user.name') AS name, json_extract(line, '$.price') AS price, json_extract(line, '$.tags') AS tags, json_extract(line, '$.items[1].sku') AS sku FROM l WHERE trim(line, ' ' || char(13)) <> '') SELECT (SELECT count(*) FROM (SELECT id, user_id, name, price, tags, second_sku FROM all_orders EXCEPT SELECT * FROM o)) AS only_sluice, (SELECT count(*) FROM (SELECT * FROM o EXCEPT SELECT id, user_id, name, price, tags, second_sku FROM all_orders)) AS only_sqlite, (SELECT count(*) FROM o) AS lines
-- expect: SELECT count(*) FROM _sluice_dead_letters
