-- mode: check
-- A KAFKA stream's address, options and metadata columns are checked when it is declared.
CREATE STREAM a (line TEXT) FROM KAFKA 'broker one:9092' TOPIC 'x' FORMAT TEXT;
CREATE STREAM b (line TEXT) FROM KAFKA FORMAT TEXT;
CREATE STREAM c (line TEXT) FROM KAFKA 'localhost:9092' TOPIC '' FORMAT TEXT;
CREATE STREAM d (line TEXT) FROM KAFKA 'localhost:9092' TOPIC 'x' FORMAT TEXT
  WITH (start = 'soon', end = 'earliest', partitions = '3-1', idle_timeout = 'never');
CREATE STREAM e (kafka_key TEXT, kafka_offset BIGINT) FROM KAFKA 'localhost:9092' TOPIC 'x' FORMAT CSV;
CREATE STREAM f (line TEXT) FROM KAFKA 'localhost:9092' TOPIC 'x' FORMAT TEXT WITH (journal = true, group_id = 'g');
-- The metadata columns can be the event time, and are selected like any column.
CREATE STREAM ok (user TEXT, amount BIGINT,
                  WATERMARK FOR kafka_timestamp AS kafka_timestamp - INTERVAL '1' SECOND)
  FROM KAFKA 'h1:9092,h2:9092' TOPIC 'payments' FORMAT CSV
  WITH (start = 'latest', end = 'latest', partitions = '0-1,3', group = 'g',
        idle_timeout = '30 seconds', properties = 'security.protocol=plaintext');
CREATE QUERY q AS SELECT kafka_partition, count(*) AS n, max(kafka_offset) AS last
  FROM ok GROUP BY kafka_partition;
CREATE QUERY w AS SELECT window_start, window_end, kafka_key, count(*) AS n FROM ok
  GROUP BY kafka_key WINDOW TUMBLING (SIZE 10 SECONDS) EMIT FINAL;
CREATE QUERY bad AS SELECT kafka_parition FROM ok;
-- librdkafka's settings are checked when the stream is declared; a value is not echoed.
CREATE STREAM g (line TEXT) FROM KAFKA 'localhost:9092' TOPIC 'x' FORMAT TEXT
  WITH (properties = 'sasl.password=hunter2;no.such.setting=1');
CREATE STREAM h (line TEXT) FROM KAFKA 'localhost:9092' TOPIC 'x' FORMAT TEXT
  WITH (properties = 'fetch.wait.max.ms=soon');
CREATE STREAM i (line TEXT) FROM KAFKA 'localhost:9092' TOPIC 'x' FORMAT TEXT
  WITH (properties = 'just-a-word');
