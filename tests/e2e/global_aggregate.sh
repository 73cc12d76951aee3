#!/usr/bin/env bash
# An aggregate without GROUP BY has one group: its table holds one row, the
# latest, batch after batch and across a resume (it used to gain a row per
# batch, since a table without key columns only appends).
source "$(dirname "$0")/lib.bash"
cd "$WORK"

cat >gen.sql <<'SQL'
SET trigger = '100 milliseconds';
CREATE STREAM g (n BIGINT, ts TIMESTAMP) FROM GENERATOR WITH (rows = 2000, rate = 4000);
CREATE QUERY c AS SELECT count(*) AS rows, max(n) AS last FROM g;
SQL
"$SLUICE" run --db db gen.sql >/dev/null 2>err.txt || { cat err.txt; fail "sluice run failed"; }
[ "$(sqlite3 db 'SELECT count(*) FROM _sluice_progress')" -gt 1 ] || fail "one batch only: nothing tested"
[ "$(sqlite3 db 'SELECT * FROM c')" = "2000|1999" ] || fail "the table is not one row: $(sqlite3 db 'SELECT * FROM c')"

seq 1 10 >in.txt
cat >file.sql <<'SQL'
CREATE STREAM s (line TEXT) FROM FILE 'in.txt' FORMAT TEXT;
CREATE QUERY total AS SELECT count(*) AS n, sum(CAST(line AS INTEGER)) AS s FROM s;
SQL
"$SLUICE" run --db db2 file.sql >/dev/null 2>&1
seq 11 15 >>in.txt
"$SLUICE" run --db db2 file.sql >/dev/null 2>err.txt || { cat err.txt; fail "the resume failed"; }
[ "$(sqlite3 db2 'SELECT * FROM total')" = "15|120" ] ||
  fail "after a resume the table is not one row: $(sqlite3 db2 'SELECT * FROM total')"
echo "1 passed, 0 failed"
