-- mode: check
-- Errors of CREATE SINK ... INTO POSTGRES: an address libpq cannot read, no
-- TABLE, a FORMAT or KEY it does not take, an empty progress table, an
-- option of the wrong type.
CREATE STREAM lines (line TEXT) FROM FILE 'data/words.txt' FORMAT TEXT;
CREATE QUERY counts AS SELECT line, count(*) AS n FROM lines GROUP BY line;
CREATE SINK a FROM counts INTO POSTGRES 'host=127.0.0.1 port' TABLE 'counts';
CREATE SINK b FROM counts INTO POSTGRES 'host=127.0.0.1 dbname=app';
CREATE SINK c FROM counts INTO POSTGRES 'dbname=app' TABLE 'counts' FORMAT JSON;
CREATE SINK d FROM counts INTO POSTGRES 'dbname=app' TABLE 'counts' KEY (line);
CREATE SINK e FROM counts INTO POSTGRES 'dbname=app' TABLE 'counts' WITH (progress_table = '');
CREATE SINK f FROM counts INTO POSTGRES 'dbname=app' TABLE 'counts' WITH (statement_timeout = 'soon');
CREATE SINK g FROM counts INTO POSTGRES 'postgresql://sluice@127.0.0.1:5432/app' TABLE 'public.counts'
  WITH (connect_timeout = '3 seconds', statement_timeout = '1 minute', progress_table = 'ops.progress');
