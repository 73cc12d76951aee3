-- SQLite oracle for q7 (over streams/sqlite.sql's tables): the highest price
-- per 10-second window (windows from multiples of 10 s since the Unix epoch),
-- bounds written as Sluice writes a TIMESTAMP.
WITH b AS (SELECT price,
                  unixepoch(substr(date_time, 1, 19)) * 1000000
                    + CAST(substr(date_time, 21, 6) AS INTEGER) AS us
           FROM bid),
     w AS (SELECT price, us - us % 10000000 AS ws FROM b)
SELECT strftime('%Y-%m-%d %H:%M:%S', ws / 1000000, 'unixepoch') || printf('.%06d', ws % 1000000)
         AS window_start,
       strftime('%Y-%m-%d %H:%M:%S', ws / 1000000 + 10, 'unixepoch') || printf('.%06d', ws % 1000000)
         AS window_end,
       MAX(price) AS maxprice
FROM w
GROUP BY ws
ORDER BY window_start;
