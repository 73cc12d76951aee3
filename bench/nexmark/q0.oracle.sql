-- SQLite oracle for q0 (over streams/sqlite.sql's tables): every bid.
SELECT auction, bidder, price, date_time, extra FROM bid
ORDER BY auction, bidder, price, date_time, extra;
