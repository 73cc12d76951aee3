-- A query cannot take the name of a system table (or one of the names kept for
-- them, _sluice_* and sqlite_*): the hint says to choose another name, never
-- to drop the table.
-- mode: check
CREATE STREAM lines (line TEXT) FROM FILE 'data/words.txt' FORMAT TEXT;
CREATE QUERY _sluice_progress AS SELECT line FROM lines;
CREATE QUERY _Sluice_Mine AS SELECT line FROM lines;
CREATE QUERY sqlite_master AS SELECT line FROM lines;
CREATE STREAM _sluice_log AS SELECT line FROM lines;
CREATE QUERY sluice_progress AS SELECT line FROM lines;
