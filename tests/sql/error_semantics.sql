-- mode: check
-- Binder errors, all reported in one run.
CREATE STREAM bids (auction BIGINT, price BIGINT, note TXT) FROM FILE 'x.csv' FORMAT CSV;
CREATE STREAM opts (a INTEGER) FROM FILE 'x.csv' FORMAT CSV (header = maybe, sep = ';');
CREATE STREAM t (line TEXT, extra INTEGER) FROM STDIN FORMAT TEXT;
CREATE STREAM j (line TEXT) FROM STDIN FORMAT AVRO;
CREATE STREAM s (line TEXT) FROM SOCKET 'localhost' FORMAT TEXT;
CREATE STREAM nums (n INTEGER, label TEXT) FROM FILE 'data/nulls.csv' FORMAT CSV (header = true);
CREATE QUERY q1 AS SELECT n, COUNT(*) FROM nums WHERE COUNT(*) > 1 GROUP BY n;
CREATE QUERY q2 AS SELECT label, COUNT(*) AS c FROM nums GROUP BY n;
CREATE QUERY q3 AS SELECT lower(n) FROM nums;
CREATE QUERY q4 AS SELECT n FROM nums, UNNEST(label) AS x;
CREATE QUERY q5 AS SELECT splt(label, ',') FROM nums;
CREATE QUERY q6 AS SELECT n, SUM(label), COUNT(n, 1), MAX(n, label) AS m FROM nums GROUP BY n;
CREATE QUERY q7 AS SELECT label + 1, n || 'x', nums.lable FROM nums;
CREATE QUERY q8 AS SELECT other.n FROM nums;
