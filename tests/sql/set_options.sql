-- SET trigger = duration: the trigger interval of the queries created after
-- it (a query keeps its own; TRIGGER EVERY still wins). The duration is
-- text ('500 milliseconds') or an INTERVAL literal. The notice says so.
CREATE STREAM ev (id INTEGER, ts TIMESTAMP, doc TEXT)
  FROM FILE 'data/lit_times.csv' FORMAT CSV (header = true);
SET trigger = '500 milliseconds';
CREATE QUERY fast AS SELECT id FROM ev;
SET TRIGGER = INTERVAL '2' SECONDS;
set Trigger = INTERVAL '1 minute';
CREATE QUERY slow AS SELECT id FROM ev TRIGGER EVERY 100 MILLISECONDS;
-- expect: SELECT count(*) FROM fast
-- expect: SELECT count(*) FROM slow
-- SET synchronous = 'full' syncs every batch's commit (survives power loss);
-- 'normal', the default, survives a crash of the process (error_windows.sql: anything else).
SET synchronous = 'full';
SET synchronous = 'normal';
