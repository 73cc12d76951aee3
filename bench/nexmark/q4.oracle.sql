-- SQLite oracle for q4 (over streams/sqlite.sql's tables): Flink's query as
-- written, each auction's winning price (its highest bid while it was open)
-- averaged per category. q4.sql's table holds the inner aggregate, a row an
-- auction; the check averages it per category as Flink's outer query does.
-- check: SELECT category, AVG(final) FROM q4 GROUP BY category
SELECT category, AVG(final)
FROM (SELECT MAX(B.price) AS final, A.category
      FROM auction A JOIN bid B
        ON A.id = B.auction AND B.date_time BETWEEN A.date_time AND A.expires
      GROUP BY A.id, A.category)
GROUP BY category
ORDER BY category;
