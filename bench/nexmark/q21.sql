-- Nexmark q21, add channel id: nexmark/nexmark, nexmark-flink/.../queries/q21.sql
--   SELECT auction, bidder, price, channel,
--          CASE WHEN lower(channel) = 'apple' THEN '0'
--               WHEN lower(channel) = 'google' THEN '1'
--               WHEN lower(channel) = 'facebook' THEN '2'
--               WHEN lower(channel) = 'baidu' THEN '3'
--               ELSE REGEXP_EXTRACT(url, '(&|^)channel_id=([^&]*)', 2) END AS channel_id
--   FROM bid
--   WHERE REGEXP_EXTRACT(url, '(&|^)channel_id=([^&]*)', 2) is not null
--      OR lower(channel) in ('apple', 'google', 'facebook', 'baidu');
-- Same query (regexp_extract is PCRE2's; no match is NULL, as in Flink).
CREATE QUERY q21 AS
  SELECT auction, bidder, price, channel,
         CASE WHEN lower(channel) = 'apple' THEN '0'
              WHEN lower(channel) = 'google' THEN '1'
              WHEN lower(channel) = 'facebook' THEN '2'
              WHEN lower(channel) = 'baidu' THEN '3'
              ELSE regexp_extract(url, '(&|^)channel_id=([^&]*)', 2) END AS channel_id
  FROM bid
  WHERE regexp_extract(url, '(&|^)channel_id=([^&]*)', 2) IS NOT NULL
     OR lower(channel) IN ('apple', 'google', 'facebook', 'baidu');
