-- SQLite oracle for q9 (over streams/sqlite.sql's tables): Flink's query as
-- written: each auction with its winning bid, the highest of the bids made
-- while it was open (the earliest of equal ones).
SELECT id, item_name, description, initial_bid, reserve, date_time, expires, seller, category,
       extra, auction, bidder, price, bid_date_time, bid_extra
FROM (SELECT A.*, B.auction, B.bidder, B.price, B.date_time AS bid_date_time,
             B.extra AS bid_extra,
             ROW_NUMBER() OVER (PARTITION BY A.id ORDER BY B.price DESC, B.date_time ASC) AS rownum
      FROM auction A JOIN bid B
        ON A.id = B.auction AND B.date_time BETWEEN A.date_time AND A.expires)
WHERE rownum <= 1
ORDER BY id;
