-- SQLite oracle for q5 (over streams/sqlite.sql's tables): each bid counted in
-- the five 10-second windows that hold it, the windows starting at multiples
-- of 2 seconds since the Unix epoch (bids counted per 2-second slice first,
-- then each slice added to its five windows); of each window, the auctions
-- whose count is the window's highest (Flink's num >= maxn: all of them on a
-- tie). Times are worked in microseconds and written back as Sluice writes a
-- TIMESTAMP ('YYYY-MM-DD HH:MM:SS.ffffff').
WITH b AS (SELECT auction,
                  unixepoch(substr(date_time, 1, 19)) * 1000000
                    + CAST(substr(date_time, 21, 6) AS INTEGER) AS us
           FROM bid),
     slices AS (SELECT auction, us - us % 2000000 AS slice, COUNT(*) AS n
                FROM b GROUP BY auction, slice),
     hop(k) AS (VALUES (0), (1), (2), (3), (4)),
     w AS (SELECT auction, slice - k * 2000000 AS ws, n FROM slices, hop),
     counts AS (SELECT ws, auction, SUM(n) AS num FROM w GROUP BY ws, auction)
SELECT strftime('%Y-%m-%d %H:%M:%S', ws / 1000000, 'unixepoch') || printf('.%06d', ws % 1000000)
         AS window_start,
       strftime('%Y-%m-%d %H:%M:%S', ws / 1000000 + 10, 'unixepoch') || printf('.%06d', ws % 1000000)
         AS window_end,
       auction, num
FROM (SELECT *, RANK() OVER (PARTITION BY ws ORDER BY num DESC) AS rk FROM counts)
WHERE rk = 1
ORDER BY window_start, auction;
