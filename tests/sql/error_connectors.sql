-- mode: check
-- CREATE STREAM's source is checked against the connector registry.
CREATE STREAM a (line TEXT) FROM SOKET 'localhost:9999' FORMAT TEXT;
CREATE STREAM b (line TEXT) FROM NOWHERE FORMAT TEXT;
CREATE STREAM c (line TEXT) FROM FILE 'x.txt';
CREATE STREAM d (line TEXT) FROM STDIN 'x.txt' FORMAT TEXT;
CREATE STREAM e (line TEXT) FROM FILE FORMAT TEXT;
CREATE STREAM f (line TEXT) FROM SOCKET 'localhost' FORMAT TEXT;
CREATE STREAM g (line TEXT) FROM FILE 'x.txt' TOPIC 'words' FORMAT TEXT;
CREATE STREAM h (line TEXT) FROM SOCKET 'localhost:9999' FORMAT TEXT
  WITH (retry_intial = '1 second', retry_attempts = 2, retry_attempts = 3);
CREATE STREAM i (line TEXT) FROM STDIN FORMAT TEXT WITH (jurnal = true, other = 1);
-- Formats come from the registry too.
CREATE STREAM j (a BIGINT) FROM FILE 'x.csv' FORMAT CVS;
-- The forms that worked before the registry still do.
CREATE STREAM ok1 (line TEXT) FROM STDIN FORMAT TEXT;
CREATE STREAM ok2 (a BIGINT) FROM file 'x.csv' FORMAT CSV (header = true);
CREATE STREAM ok3 (line TEXT) FROM Socket 'localhost:9999' FORMAT TEXT WITH (journal = true);
-- GENERATOR's options are typed by the registry.
CREATE STREAM gen1 (n BIGINT, ts TIMESTAMP) FROM GENERATOR 'x' WITH (rows = -1, rate = 'fast');
CREATE STREAM gen2 (n BIGINT, ts TIMESTAMP) FROM GENERATOR WITH (start = 'yesterday', row = 5);
CREATE STREAM gen3 (n BIGINT, ts TIMESTAMP) FROM GENERATOR WITH (journal = true);
CREATE STREAM gen4 (n BIGINT, ts TIMESTAMP) FROM GENERATOR FORMAT JSON;
CREATE STREAM gen_ok (n BIGINT, ts TIMESTAMP) FROM GENERATOR WITH (rows = 1000000, rate = 0);
