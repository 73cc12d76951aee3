-- DROP STREAM ... CASCADE drops what reads the stream, each reader before
-- what it reads: a sink, the query it sends, a CREATE STREAM AS stream (with
-- its query) and the query reading that stream; the tables are kept.
CREATE STREAM lines (line TEXT) FROM FILE 'data/words.txt' FORMAT TEXT;
CREATE QUERY copy AS SELECT line FROM lines;
CREATE SINK copy_out FROM copy INTO STDOUT FORMAT CSV;
CREATE STREAM long_lines AS SELECT line FROM lines WHERE length(line) > 10;
CREATE QUERY longest AS SELECT MAX(length(line)) AS n FROM long_lines;
CREATE STREAM other (line TEXT) FROM FILE 'data/words.txt' FORMAT TEXT;
CREATE QUERY other_copy AS SELECT line FROM other;
DROP STREAM lines CASCADE;
DROP STREAM IF EXISTS lines CASCADE;
-- expect: SELECT name FROM _sluice_queries
-- expect: SELECT name FROM _sluice_streams
-- expect: SELECT count(*) FROM _sluice_sinks
-- expect: SELECT count(*) FROM copy
