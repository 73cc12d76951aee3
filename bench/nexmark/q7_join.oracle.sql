-- SQLite oracle for q7_join (over streams/sqlite.sql's tables): Flink's query as
-- written: the highest price per 10-second window (windows from multiples of
-- 10 s since the Unix epoch), joined back to the bids at that price whose time
-- is between the window's end - 10 s and its end, both included (so a bid
-- exactly on a window's end is matched against two windows, as in Flink).
WITH b AS (SELECT price,
                  unixepoch(substr(date_time, 1, 19)) * 1000000
                    + CAST(substr(date_time, 21, 6) AS INTEGER) AS us
           FROM bid),
     w AS (SELECT us - us % 10000000 AS ws, MAX(price) AS maxprice FROM b GROUP BY ws),
     m AS (SELECT strftime('%Y-%m-%d %H:%M:%S', ws / 1000000, 'unixepoch') || '.000000' AS lo,
                  strftime('%Y-%m-%d %H:%M:%S', ws / 1000000 + 10, 'unixepoch') || '.000000' AS hi,
                  maxprice
           FROM w)
SELECT B.auction, B.bidder, B.price, B.date_time, B.extra
FROM bid B JOIN m ON B.price = m.maxprice AND B.date_time BETWEEN m.lo AND m.hi
ORDER BY B.date_time;
