-- SQLite oracle for q17 (over streams/sqlite.sql's tables). The day is cut
-- from the timestamp's text rather than formatted with strftime.
SELECT auction, substr(date_time, 1, 10) AS day,
       COUNT(*) AS total_bids,
       COUNT(*) FILTER (WHERE price < 10000) AS rank1_bids,
       COUNT(*) FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_bids,
       COUNT(*) FILTER (WHERE price >= 1000000) AS rank3_bids,
       MIN(price) AS min_price, MAX(price) AS max_price,
       AVG(price) AS avg_price, SUM(price) AS sum_price
FROM bid
GROUP BY auction, day
ORDER BY auction, day;
