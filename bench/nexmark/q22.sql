-- Nexmark q22, get URL directories: nexmark/nexmark, nexmark-flink/.../queries/q22.sql
-- (../shared/nexmark.md gives its shape, SPLIT_INDEX(url, '/', 3..5); written out:)
--   SELECT auction, bidder, price, channel,
--          SPLIT_INDEX(url, '/', 3) as dir1,
--          SPLIT_INDEX(url, '/', 4) as dir2,
--          SPLIT_INDEX(url, '/', 5) as dir3 FROM bid;
-- SPLIT_INDEX counts fields from 0 and gives NULL past the last one;
-- split_part (PostgreSQL's, as RisingWave writes q22) counts from 1 and gives
-- '' there: fields 4, 5, 6 are Flink's 3, 4, 5. Every generated URL has them.
CREATE QUERY q22 AS
  SELECT auction, bidder, price, channel,
         split_part(url, '/', 4) AS dir1,
         split_part(url, '/', 5) AS dir2,
         split_part(url, '/', 6) AS dir3
  FROM bid;
