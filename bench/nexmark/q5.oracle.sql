-- SQLite oracle for q5 (over streams/sqlite.sql's tables): each bid counted in
-- the five 10-second windows that hold it, the windows starting at multiples
-- of 2 seconds since the Unix epoch (bids counted per 2-second slice first,
-- then each slice added to its five windows). Times are worked in
-- microseconds and written back as Sluice writes a TIMESTAMP
-- ('YYYY-MM-DD HH:MM:SS.ffffff').
WITH b AS (SELECT auction,
                  unixepoch(substr(date_time, 1, 19)) * 1000000
                    + CAST(substr(date_time, 21, 6) AS INTEGER) AS us
           FROM bid),
     slices AS (SELECT auction, us - us % 2000000 AS slice, COUNT(*) AS n
                FROM b GROUP BY auction, slice),
     hop(k) AS (VALUES (0), (1), (2), (3), (4)),
     w AS (SELECT auction, slice - k * 2000000 AS ws, n FROM slices, hop)
SELECT strftime('%Y-%m-%d %H:%M:%S', ws / 1000000, 'unixepoch') || printf('.%06d', ws % 1000000)
         AS window_start,
       strftime('%Y-%m-%d %H:%M:%S', ws / 1000000 + 10, 'unixepoch') || printf('.%06d', ws % 1000000)
         AS window_end,
       auction, SUM(n) AS num
FROM w
GROUP BY ws, auction
ORDER BY window_start, auction;
