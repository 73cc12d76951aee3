-- q7 in DuckDB (bench/nexmark/q7.sql): each 10-second window's highest price,
-- joined back to the bids at that price between the window's end - 10 s and
-- its end; time_bucket's buckets of 10 s fall on the same bounds as Sluice's
-- epoch-aligned windows.
CREATE TABLE q7 AS
  WITH b1 AS (SELECT time_bucket(INTERVAL 10 SECOND, date_time) + INTERVAL 10 SECOND AS window_end,
                     max(price) AS maxprice
              FROM bid GROUP BY 1)
  SELECT b.auction, b.bidder, b.price, b.date_time, b.extra
  FROM bid b JOIN b1 ON b.price = b1.maxprice
   AND b.date_time BETWEEN b1.window_end - INTERVAL 10 SECOND AND b1.window_end;
