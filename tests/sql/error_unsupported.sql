-- mode: check
-- SQL that Sluice does not support yet is named as unsupported, with what to
-- write instead, not reported as a bare syntax error; a shell command typed as
-- SQL says how to leave; FORMAT with no name lists the formats.
CREATE STREAM bids (auction BIGINT, price BIGINT) FROM FILE 'data/bids.csv' FORMAT CSV (header = true);
CREATE STREAM asks (auction BIGINT, price BIGINT) FROM FILE 'data/bids.csv' FORMAT CSV (header = true);
SELECT auction FROM bids UNION SELECT auction FROM asks;
SELECT auction FROM bids AS b
  INTERSECT SELECT auction FROM asks;
SELECT auction, row_number() OVER (PARTITION BY auction ORDER BY price) FROM bids;
SELECT * FROM bids RIGHT JOIN asks ON bids.auction = asks.auction;
SELECT * FROM bids, asks WHERE bids.auction = asks.auction;
WITH big AS (SELECT * FROM bids WHERE price > 10) SELECT * FROM big;
SELECT DISTINCT auction FROM bids;
SELECT auction FROM bids WHERE auction IN (SELECT auction FROM asks);
INSERT INTO bids VALUES (1, 2);
exit;
quit
;
CREATE STREAM nofmt (line TEXT) FROM FILE 'data/words.txt' FORMAT;
CREATE SINK out FROM bids INTO FILE 'out' FORMAT;
PRINT bids LIMIT 0;
