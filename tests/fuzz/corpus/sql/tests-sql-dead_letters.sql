-- Records that cannot be decoded go to _sluice_dead_letters with the reason;
-- the query keeps running over the rest.
CREATE STREAM scores (id INTEGER, score INTEGER)
  FROM FILE 'data/bad_rows.csv' FORMAT CSV (header = true);
CREATE QUERY total AS SELECT COUNT(*) AS n, SUM(score) AS s FROM scores;
-- expect: SELECT n, s FROM total
-- expect: SELECT stream, offset, record, error FROM _sluice_dead_letters ORDER BY id
