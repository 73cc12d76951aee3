#!/usr/bin/env bash
# A long record arriving slowly (on stdin, 10 KB every 50 ms) makes no batch
# until it ends: batches of rows_in = 0 used to be committed at every
# trigger while it accumulated (issue 17).
source "$(dirname "$0")/lib.bash"
cd "$WORK"
cat >q.sql <<SQL
CREATE STREAM t (line TEXT) FROM STDIN FORMAT TEXT;
CREATE QUERY d AS SELECT length(line) AS n FROM t TRIGGER EVERY 100 MILLISECONDS;
SQL
slow_lines() {
  echo first
  for _ in $(seq 30); do head -c 10000 /dev/zero | tr '\0' x; sleep 0.05; done
  printf '\nlast\n'
}
slow_lines | timeout 60 "$SLUICE" run --db db q.sql >/dev/null 2>err.txt || { cat err.txt; fail "the run"; }
[ "$(sqlite3 db 'SELECT group_concat(n, " ") FROM d')" = "5 300000 4" ] || fail "the rows: $(sqlite3 db 'SELECT * FROM d')"
empty=$(sqlite3 db "SELECT count(*) FROM _sluice_progress WHERE query = 'd' AND rows_in = 0")
[ "$empty" = 0 ] || fail "$empty batches of rows_in = 0 were committed while the long line arrived"
echo "ok: $(sqlite3 db "SELECT count(*) FROM _sluice_progress WHERE query = 'd'") batches, none empty"
