-- SQLite oracle for q18 (over streams/sqlite.sql's tables): each bidder's last
-- bid on each auction (by event time).
SELECT auction, bidder, price, channel, url, date_time, extra
FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder, auction ORDER BY date_time DESC)
                  AS rank_number
      FROM bid)
WHERE rank_number <= 1
ORDER BY auction, bidder;
