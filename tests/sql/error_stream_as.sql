-- mode: check
-- Errors of CREATE STREAM ... AS: a stream's rows are only appended (an
-- aggregation must be EMIT FINAL), its columns have one type each (no
-- arrays, no CASE mixing types), it has no ORDER BY; one that binds is known
-- to the statements after it.
CREATE STREAM e (u TEXT, v INTEGER) FROM FILE 'data/words.txt' FORMAT CSV;
CREATE STREAM a AS SELECT u, count(*) AS n FROM e GROUP BY u;
CREATE STREAM b AS SELECT split(u, ' ') AS parts FROM e;
CREATE STREAM c AS SELECT CASE WHEN v > 0 THEN v ELSE 'none' END AS x FROM e;
CREATE STREAM d AS SELECT u FROM e ORDER BY u;
CREATE STREAM ok AS SELECT u, v FROM e WHERE v > 0;
SELECT u, v FROM ok;
