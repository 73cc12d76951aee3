-- DROP STREAM names everything that reads the stream (queries, CREATE STREAM AS
-- streams, sinks); DROP QUERY names the sinks that send its rows.
CREATE STREAM lines (line TEXT) FROM FILE 'data/words.txt' FORMAT TEXT;
CREATE QUERY copy AS SELECT line FROM lines;
CREATE QUERY lengths AS SELECT length(line) AS n FROM lines;
CREATE SINK copy_out FROM copy INTO STDOUT FORMAT CSV;
CREATE STREAM long_lines AS SELECT line FROM lines WHERE length(line) > 10;
CREATE SINK long_out FROM long_lines INTO STDOUT FORMAT CSV;
DROP STREAM lines;
DROP QUERY copy;
DROP STREAM long_lines;
-- expect: SELECT name FROM _sluice_queries ORDER BY name
-- expect: SELECT name FROM _sluice_streams ORDER BY name
