-- SQLite oracle for q1 (over streams/sqlite.sql's tables).
SELECT auction, bidder, 0.908 * price AS price, date_time, extra FROM bid
ORDER BY auction, bidder, price, date_time, extra;
