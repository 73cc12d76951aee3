-- SQLite oracle for q2 (over streams/sqlite.sql's tables).
SELECT auction, price FROM bid WHERE auction % 123 = 0
ORDER BY auction, price;
