-- SQLite oracle for q20 (over streams/sqlite.sql's tables): Flink's query as
-- written, an unbounded join. q20.sql bounds it in time; over the generator's
-- events (rate 50 a second or more) no match falls outside the bound, so the
-- rows are the same.
SELECT B.auction, B.bidder, B.price, B.channel, B.url, B.date_time, B.extra,
       A.item_name, A.description, A.initial_bid, A.reserve, A.date_time, A.expires, A.seller,
       A.category, A.extra
FROM bid B JOIN auction A ON B.auction = A.id
WHERE A.category = 10
ORDER BY B.date_time;
