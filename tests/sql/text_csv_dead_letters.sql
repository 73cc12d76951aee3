-- FORMAT TEXT and CSV: every record that gives no row is a dead letter with its
-- offset, its bytes (an over-long one's first 4 KiB) and the reason: a TEXT value
-- that is not UTF-8 (naming the column and the record's byte), a record over
-- max_record_bytes, a wrong field count, a number or a timestamp that does not
-- parse. Good records around them, quoted or not, are all counted.
CREATE STREAM lines (line TEXT) FROM FILE 'data/text_bad.txt' FORMAT TEXT (max_record_bytes = 200);
CREATE STREAM sales (id BIGINT, name TEXT, price BIGINT, ts TIMESTAMP)
  FROM FILE 'data/csv_bad.csv' FORMAT CSV (header = true, max_record_bytes = 200);
SHOW STREAMS;
CREATE QUERY text_rows AS SELECT line FROM lines;
CREATE QUERY csv_total AS SELECT COUNT(*) AS n, SUM(price) AS s FROM sales;
-- stdout
-- expect: SELECT line FROM text_rows
-- expect: SELECT n, s FROM csv_total
-- expect: SELECT stream, offset, CASE WHEN error LIKE '%UTF-8%' THEN hex(record) ELSE substr(record, 1, 40) END, length(record), error FROM _sluice_dead_letters ORDER BY stream, offset
