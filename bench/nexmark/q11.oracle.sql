-- SQLite oracle for q11 (over streams/sqlite.sql's tables): per bidder, in
-- time order, a bid more than 10 s after the bidder's previous one starts a
-- new session (one exactly 10 s after joins it); a session ends 10 s after
-- its last bid. Times in microseconds, written back as Sluice writes a TIMESTAMP.
WITH b AS (SELECT bidder,
                  unixepoch(substr(date_time, 1, 19)) * 1000000
                    + CAST(substr(date_time, 21, 6) AS INTEGER) AS us
           FROM bid),
     starts AS (SELECT bidder, us,
                       CASE WHEN us - lag(us) OVER (PARTITION BY bidder ORDER BY us) <= 10000000
                            THEN 0 ELSE 1 END AS is_start
                FROM b),
     numbered AS (SELECT bidder, us,
                         SUM(is_start) OVER (PARTITION BY bidder ORDER BY us
                                             ROWS UNBOUNDED PRECEDING) AS session
                  FROM starts),
     sessions AS (SELECT bidder, COUNT(*) AS bid_count, MIN(us) AS s, MAX(us) + 10000000 AS e
                  FROM numbered GROUP BY bidder, session)
SELECT bidder, bid_count,
       strftime('%Y-%m-%d %H:%M:%S', s / 1000000, 'unixepoch') || printf('.%06d', s % 1000000)
         AS starttime,
       strftime('%Y-%m-%d %H:%M:%S', e / 1000000, 'unixepoch') || printf('.%06d', e % 1000000)
         AS endtime
FROM sessions
ORDER BY bidder, starttime;
