-- SHOW TABLES: every table with its kind (a query's result table, its late rows,
-- an ordinary table such as one a dropped query left, the system tables last);
-- DESCRIBE of a table that no running query describes: its columns as SQLite
-- declares them, then its kind and row count.
-- stdout
CREATE STREAM bids (auction BIGINT, price BIGINT, ts TIMESTAMP,
                    WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
  FROM FILE 'data/bids.csv' FORMAT CSV (header = true);
CREATE QUERY top AS SELECT auction, MAX(price) AS top FROM bids GROUP BY auction;
CREATE QUERY per_window AS SELECT window_start, COUNT(*) AS n FROM bids
  WINDOW TUMBLING (SIZE 10 SECONDS) WITH (late = 'table');
CREATE QUERY gone AS SELECT auction FROM bids;
DROP QUERY gone;
SHOW TABLES;
DESCRIBE gone;
DESCRIBE _sluice_queries;
DESCRIBE per_window_late;
