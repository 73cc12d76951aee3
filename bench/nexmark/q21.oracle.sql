-- SQLite oracle for q21 (over streams/sqlite.sql's tables). SQLite has no
-- regular expressions: the channel id is the text after '&channel_id=' up to
-- the next '&' (no generated URL starts with 'channel_id=').
WITH b AS (SELECT auction, bidder, price, channel,
                  CASE WHEN instr(url, '&channel_id=') > 0
                       THEN substr(url, instr(url, '&channel_id=') + 12) END AS tail
           FROM bid),
     ids AS (SELECT auction, bidder, price, channel,
                    CASE WHEN instr(tail, '&') > 0 THEN substr(tail, 1, instr(tail, '&') - 1)
                         ELSE tail END AS url_id
             FROM b)
SELECT auction, bidder, price, channel,
       CASE WHEN lower(channel) = 'apple' THEN '0'
            WHEN lower(channel) = 'google' THEN '1'
            WHEN lower(channel) = 'facebook' THEN '2'
            WHEN lower(channel) = 'baidu' THEN '3'
            ELSE url_id END AS channel_id
FROM ids
WHERE url_id IS NOT NULL OR lower(channel) IN ('apple', 'google', 'facebook', 'baidu')
ORDER BY auction, bidder, price, channel, channel_id;
