-- FORMAT JSON (json_cast = true): a value of another JSON type is converted when it
-- can be: strings holding numbers or booleans, numbers into TEXT, REAL truncated into
-- BIGINT as CAST does, a number of seconds since the epoch into TIMESTAMP; what still
-- cannot be converted is a dead letter. SHOW STREAMS and DESCRIBE show the format's
-- options and each column's PATH.
-- stdout
CREATE STREAM pay (id BIGINT, price REAL, qty BIGINT, paid BOOLEAN, at TIMESTAMP,
                   code TEXT, first_a TEXT PATH '$.code.a[0]')
  FROM FILE 'data/json_cast.ndjson' FORMAT JSON (json_cast = true);
CREATE QUERY rows AS SELECT * FROM pay;
DESCRIBE pay;
-- expect: SELECT * FROM rows ORDER BY id
-- expect: SELECT offset, record, error FROM _sluice_dead_letters ORDER BY id
