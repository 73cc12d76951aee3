-- SQLite oracle for q19 (over streams/sqlite.sql's tables): each auction's ten
-- highest bids, numbered; of bids at the same price the earlier ranks first
-- (q19.sql's tie-break, which Flink's text leaves open).
SELECT *
FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC, date_time ASC)
                  AS rank_number
      FROM bid)
WHERE rank_number <= 10
ORDER BY auction, rank_number;
