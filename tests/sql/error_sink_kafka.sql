-- mode: check
-- A KAFKA sink's address, TOPIC, FORMAT and options are checked when it is declared.
CREATE STREAM lines (line TEXT) FROM FILE 'data/words.txt' FORMAT TEXT;
CREATE QUERY counts AS SELECT line, count(*) AS n FROM lines GROUP BY line;
CREATE SINK a FROM counts INTO KAFKA 'broker one:9092' TOPIC 'x';
CREATE SINK b FROM counts INTO KAFKA '127.0.0.1:9092';
CREATE SINK c FROM counts INTO KAFKA '127.0.0.1:9092' TOPIC 'x' FORMAT TABLE;
CREATE SINK e FROM counts INTO KAFKA '127.0.0.1:9092' TOPIC 'x'
  WITH (transactional = 'yes', transactional_id = '', timeout = '1 hour');
-- librdkafka's settings are checked when the sink is declared; a value is not echoed.
CREATE SINK f FROM counts INTO KAFKA '127.0.0.1:9092' TOPIC 'x'
  WITH (properties = 'sasl.password=hunter2;no.such.setting=1');
-- These are accepted: KEY of the query's columns, CSV, a transaction with its own id.
CREATE SINK ok1 FROM counts INTO KAFKA 'h1:9092,h2:9092' TOPIC 'counts' FORMAT CSV KEY (line);
CREATE SINK ok2 FROM counts INTO KAFKA 'h1:9092' TOPIC 'counts'
  WITH (transactional = true, transactional_id = 'counts-1', timeout = '2 seconds',
        properties = 'compression.codec=lz4;linger.ms=20');
