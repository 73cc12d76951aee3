-- SQLite oracle for q13 (over streams/sqlite.sql's tables and q13.setup.sql's
-- side_input): every bid with the side input's value for its auction mod 10000.
SELECT B.auction, B.bidder, B.price, B.date_time, S.value
FROM bid B JOIN side_input S ON B.auction % 10000 = S.key
ORDER BY B.date_time;
