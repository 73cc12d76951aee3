-- mode: check
-- Errors of event time, windows, emit modes, and WITH options of streams and queries.
CREATE STREAM lines (line TEXT) FROM STDIN FORMAT TEXT;
CREATE STREAM bids (auction BIGINT, price BIGINT, ts TIMESTAMP,
                    WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)
  FROM FILE 'data/bids.csv' FORMAT CSV (header = true);
CREATE STREAM raw_bids (auction BIGINT, price BIGINT, ts TIMESTAMP)
  FROM FILE 'data/bids.csv' FORMAT CSV (header = true);
CREATE STREAM w1 (n BIGINT, ts TIMESTAMP, WATERMARK FOR t AS t) FROM STDIN FORMAT CSV;
CREATE STREAM w2 (n BIGINT, ts TIMESTAMP, WATERMARK FOR n AS n - INTERVAL '1' SECOND) FROM STDIN FORMAT CSV;
CREATE STREAM w3 (n BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts + INTERVAL '1' SECOND) FROM STDIN FORMAT CSV;
CREATE QUERY e1 AS SELECT window_start, auction, COUNT(*) FROM bids GROUP BY auction;
CREATE QUERY e2 AS SELECT auction, COUNT(*) FROM bids WHERE window_end > ts GROUP BY auction
  WINDOW TUMBLING (SIZE 1 MINUTE);
CREATE QUERY e3 AS SELECT auction, COUNT(*) FROM bids GROUP BY auction EMIT FINAL;
CREATE QUERY e4 AS SELECT auction, COUNT(*) FROM raw_bids GROUP BY auction
  WINDOW TUMBLING (SIZE 10 SECONDS);
CREATE QUERY e5 AS SELECT COUNT(*) FROM bids WINDOW HOPPING (SIZE 5 SECONDS, ADVANCE BY 10 SECONDS);
CREATE QUERY e6 AS SELECT COUNT(*) FROM bids WINDOW TUMBLING (SIZE 0 SECONDS);
CREATE QUERY e7 AS SELECT COUNT(*) FROM bids WINDOW SESSION (GAP 5 SECONDS)
  WITH (time = 'arrival', timing = 'event');
CREATE QUERY e8 AS SELECT COUNT(*) FROM bids WINDOW TUMBLING (SIZE 1 SECOND)
  GROUP BY auction WINDOW TUMBLING (SIZE 2 SECONDS);
CREATE QUERY ok1 AS SELECT auction, COUNT(*) FROM raw_bids GROUP BY auction
  WINDOW TUMBLING (SIZE 10 SECONDS) WITH (time = 'processing');
SELECT word, window_start FROM lines, UNNEST(split(line, ' ')) AS word;
CREATE QUERY e9 AS SELECT COUNT(*) FROM (SELECT price, ts FROM bids) AS b
  WINDOW TUMBLING (SIZE 1 MINUTE);
CREATE QUERY e10 AS SELECT n FROM (SELECT COUNT(*) AS n FROM bids WINDOW TUMBLING (SIZE 1 MINUTE) EMIT FINAL);
SET clock = 'tomorrow';
SET clock = 5;
SET synchronous = 'off';
CREATE QUERY e11 AS SELECT auction, COUNT(*) FROM bids GROUP BY auction WITH (late = 'table');
CREATE STREAM r1 (line TEXT) FROM SOCKET 'localhost:9' FORMAT TEXT
  WITH (reconnect_delay = '50 milliseconds', reconnect_max_delay = INTERVAL '2' SECONDS, reconnect_retries = 5);
CREATE STREAM r2 (line TEXT) FROM FILE 'x.txt' FORMAT TEXT WITH (reconnect_retries = 3);
CREATE STREAM r3 (line TEXT) FROM SOCKET 'localhost:9' FORMAT TEXT
  WITH (reconnect_delay = 'soon', reconnect_retries = -1, journaled = true);
CREATE STREAM r4 (line TEXT) FROM FILE 'x.txt' FORMAT TEXT WITH (journal = true);
CREATE STREAM r5 (line TEXT) FROM STDIN FORMAT TEXT WITH (journal = 'yes');
CREATE STREAM r6 (line TEXT) FROM STDIN FORMAT TEXT WITH (journal = false);
CREATE QUERY e12 AS SELECT auction FROM bids WITH (max_batch_bytes = 10);
CREATE QUERY e14 AS SELECT auction FROM bids WITH (checkpoint = 'no');
CREATE QUERY e13 AS SELECT COUNT(*) FROM bids WINDOW SESSION (GAP 106751990 DAYS);
CREATE STREAM w4 (ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '40000' DAY) FROM STDIN FORMAT CSV;
-- A hopping window that would put each row in more than 10,000 windows.
CREATE QUERY too_many AS SELECT auction, COUNT(*) AS n FROM bids GROUP BY auction
  WINDOW HOPPING (SIZE 1 DAY, ADVANCE BY 1 MILLISECOND);
