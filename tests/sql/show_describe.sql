-- SHOW STREAMS, SHOW QUERIES, SHOW CONNECTORS and DESCRIBE answer as tables on stdout.
-- stdout
CREATE STREAM lines (line TEXT) FROM FILE 'data/words.txt' FORMAT TEXT;
CREATE STREAM vals (id INT, i BIGINT, r REAL, t TEXT)
  FROM FILE 'data/expr_values.csv' FORMAT CSV (header = true, null = 'NA');
CREATE STREAM net (line TEXT) FROM SOCKET 'localhost:1' FORMAT TEXT
  WITH (reconnect_delay = '10 milliseconds', reconnect_retries = 1, journal = true);
CREATE STREAM pay (user TEXT, amount BIGINT) FROM KAFKA '127.0.0.1:1' TOPIC 'payments' FORMAT CSV
  WITH (group = 'g', properties = 'security.protocol=sasl_ssl;sasl.username=me;sasl.password=it''s secret');
CREATE QUERY word_counts AS
  SELECT word, COUNT(*) AS n, MAX(length(word)) AS longest
  FROM lines, UNNEST(split(line, ' ')) AS word
  GROUP BY word;
CREATE QUERY positive AS SELECT id, i * 2 AS twice FROM vals WHERE i > 0;
SHOW STREAMS;
SHOW CONNECTORS;
SHOW QUERIES;
DESCRIBE lines;
DESCRIBE vals;
DESCRIBE word_counts;
describe positive;
DESCRIBE net;
DESCRIBE pay;
-- A stream with event time: its WATERMARK (issue 15: DESCRIBE omitted it).
CREATE STREAM bids (auction BIGINT, price BIGINT, ts TIMESTAMP,
                    WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)
  FROM FILE 'data/bids.csv' FORMAT CSV (header = true);
DESCRIBE bids;
