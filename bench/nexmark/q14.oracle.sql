-- SQLite oracle for q14 (over streams/sqlite.sql's tables).
SELECT auction, bidder, 0.908 * price AS price,
       CASE WHEN CAST(strftime('%H', date_time) AS INTEGER) BETWEEN 8 AND 18 THEN 'dayTime'
            WHEN CAST(strftime('%H', date_time) AS INTEGER) <= 6
              OR CAST(strftime('%H', date_time) AS INTEGER) >= 20 THEN 'nightTime'
            ELSE 'otherTime' END AS bid_time_type,
       date_time, extra, length(extra) - length(replace(extra, 'c', '')) AS c_counts
FROM bid
WHERE 0.908 * price > 1000000 AND 0.908 * price < 50000000
ORDER BY auction, bidder, price, date_time, extra;
