-- mode: check
-- Binder errors, all reported in one run.
CREATE STREAM bids (auction BIGINT, price BIGINT, note TXT) FROM FILE 'x.csv' FORMAT CSV;
CREATE STREAM nums (n INTEGER, label TEXT) FROM FILE 'x.csv' FORMAT CSV (header = true, sep = ';');
CREATE QUERY q1 AS SELECT n, COUNT(*) FROM nums WHERE COUNT(*) > 1 GROUP BY n;
CREATE QUERY q2 AS SELECT label, COUNT(*) FROM nums GROUP BY n;
CREATE QUERY q3 AS SELECT lower(n) FROM nums;
CREATE QUERY q4 AS SELECT n FROM nums, UNNEST(label) AS x;
CREATE QUERY q5 AS SELECT splt(label, ',') FROM nums;
CREATE STREAM t (line TEXT, extra INTEGER) FROM STDIN FORMAT TEXT;
