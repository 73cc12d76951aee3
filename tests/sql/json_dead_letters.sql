-- FORMAT JSON: every line that gives no row is a dead letter with its offset, its
-- bytes (an over-long one's first 4 KiB) and the reason; the query goes on.
-- Bad JSON, an array, a scalar, trailing text, a wrong type (with the hint when
-- json_cast would read it), an integer past 64 bits, an unreadable timestamp,
-- invalid UTF-8 and a line over max_record_bytes.
CREATE STREAM sales (id BIGINT, price BIGINT, ts TIMESTAMP, name TEXT, ok BOOLEAN)
  FROM FILE 'data/json_bad.ndjson' FORMAT JSON (max_record_bytes = 200);
CREATE QUERY total AS SELECT COUNT(*) AS n, SUM(price) AS s FROM sales;
-- expect: SELECT n, s FROM total
-- expect: SELECT offset, CASE WHEN error LIKE '%UTF-8%' THEN hex(record) ELSE substr(record, 1, 60) END, length(record), error FROM _sluice_dead_letters ORDER BY id
