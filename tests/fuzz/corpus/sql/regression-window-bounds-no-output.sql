-- EXPLAIN of windowed aggregations: on event time the watermark comes
-- first, before the filter, because rows a WHERE drops advance it too.
-- stdout
CREATE STREAM bids (auction BIGINT, bidder BIGINT, price BIGINT, ts TIMESTAMP,
                    WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)
  FROM FILE 'data/bids.csv' FORMAT CSV (header = true);
EXPLAIN SELECT window_start, window_end, auction, MAX(price) AS top, COUNT(*) AS-- A query without aggregation appends its rows: filter, functions, arithmetic.
CREATE STREAM lines (line TEXT) FROM FILE 'data/words.txt' FORMAT TEXT;
CREATE QUERY long_words AS
  SELECT upper(word) AS shout, lower(word) AS quiet, lengt bids
  FROM bids WHERE price > 0 GROUP BY auction
  WINDOW HOPPING (SIZE 1 MINUTE, ADVANCE BY 10 SECONDS, GRACE PERIOD 500 MILLISECONDS)
  EMIT FINAL;
EXPLAIN SELECT bidder, COUNT(*) `AS n FROMÿÿÿ? bids GROUP BY bidder
  WINDOW SESSION (GAP 30 SECONDS) HAVIh(word) AS len,
         length(word) * 10 / 4 AS scaled, word ||àØÞØß¾¬åÿNÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿbang
  FROM lines, UNNEST(split(line, ' ')) AS word
  WHERE length(word) > 4 AND NOT word = 'sleeps';
-G COUNT(*- expect: SEL)ECT * FROM l > ong_words ORD1ER BY ro;
wid
