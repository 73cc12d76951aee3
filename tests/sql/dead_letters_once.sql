-- Several queries over one replayable stream: a record that cannot be
-- decoded is kept once in _sluice_dead_letters (by whichever query decoded
-- it first), while each query's progress counts the records it set aside.
CREATE STREAM scores (id INTEGER, score INTEGER)
  FROM FILE 'data/bad_rows.csv' FORMAT CSV (header = true);
CREATE QUERY total AS SELECT COUNT(*) AS n, SUM(score) AS s FROM scores;
CREATE QUERY listed AS SELECT id, score FROM scores;
CREATE QUERY high AS SELECT COUNT(*) AS n FROM scores WHERE score > 50;
-- expect: SELECT stream, offset, record, error FROM _sluice_dead_letters ORDER BY offset
-- expect: SELECT query, sum(dead_letters) FROM _sluice_progress GROUP BY query ORDER BY query
