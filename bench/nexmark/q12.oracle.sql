-- SQLite oracle for q12 (over streams/sqlite.sql's tables). Processing-time
-- windows depend on when each batch ran, so only totals can be checked: the
-- counts of a bidder's windows add up to the bidder's bids. The check line
-- below is what is compared with this oracle, instead of SELECT * FROM q12:
-- check: SELECT bidder, SUM(bid_count) AS bids FROM q12 GROUP BY bidder ORDER BY bidder;
SELECT bidder, COUNT(*) AS bids FROM bid GROUP BY bidder ORDER BY bidder;
