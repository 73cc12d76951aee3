-- SQLite oracle for q7 (over streams/sqlite.sql's tables): in each 10-second
-- window [start, start + 10 s) (the time's text up to its tens of seconds),
-- the bids at the window's highest price.
SELECT auction, bidder, price, date_time, extra
FROM (SELECT *, RANK() OVER (PARTITION BY substr(date_time, 1, 18) ORDER BY price DESC) AS rk
      FROM bid)
WHERE rk = 1
ORDER BY date_time;
