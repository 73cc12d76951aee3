-- Errors of CREATE SINK: a sink of a query that does not exist; after it the
-- rest is only checked: an unknown sink connector, an address, FORMAT,
-- target clause, KEY or option the connector does not take, a misspelt or
-- mistyped engine option, and dropping a sink that does not exist.
CREATE STREAM lines (line TEXT) FROM FILE 'data/words.txt' FORMAT TEXT;
CREATE QUERY counts AS SELECT line, count(*) AS n FROM lines GROUP BY line;
CREATE SINK h FROM cuonts INTO STDOUT;
CREATE SINK a FROM counts INTO STDOUTT;
CREATE SINK b FROM counts INTO STDOUT 'x';
CREATE SINK c FROM counts INTO STDOUT FORMAT XML;
CREATE SINK d FROM counts INTO STDOUT TABLE 't';
CREATE SINK e FROM counts INTO STDOUT KEY (line);
CREATE SINK f FROM counts INTO STDOUT WITH (max_outbox_row = 5);
CREATE SINK g FROM counts INTO STDOUT WITH (retry_max = 'soon');
DROP SINK nope;
