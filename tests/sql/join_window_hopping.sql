-- A HOPPING window join is refused, saying why and what to write instead: the
-- aggregate after it assigns a joined row to the windows of its time, which
-- may hold only one of the pair's rows.
CREATE STREAM bids (id INTEGER, auction INTEGER, price INTEGER, ts TIMESTAMP,
                    WATERMARK FOR ts AS ts - INTERVAL '3' SECOND)
  FROM FILE 'data/join_bids.csv' FORMAT CSV (header = true);
CREATE STREAM auctions (id INTEGER, seller TEXT, ts TIMESTAMP,
                        WATERMARK FOR ts AS ts - INTERVAL '3' SECOND)
  FROM FILE 'data/join_auctions.csv' FORMAT CSV (header = true);
CREATE QUERY hop AS
  SELECT b.auction, COUNT(*) AS pairs
  FROM bids b JOIN auctions a ON b.auction = a.id
  GROUP BY b.auction WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 5 SECONDS);
