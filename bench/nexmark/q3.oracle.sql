-- SQLite oracle for q3 (over streams/sqlite.sql's tables): Flink's query as
-- written, an unbounded join. q3.sql bounds it in time; over the generator's
-- events (rate 100 a second or more) no match falls outside the bound, so the
-- rows are the same.
SELECT P.name, P.city, P.state, A.id
FROM auction A JOIN person P ON A.seller = P.id
WHERE A.category = 10 AND P.state IN ('OR', 'ID', 'CA')
ORDER BY A.id;
