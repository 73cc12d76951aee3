#!/usr/bin/env bash
# FILE with follow = true over a glob: a log followed through two rotations
# (each with lines still unread when it is renamed, and lines written to
# the renamed file after), a new file appearing, a copytruncate; every line
# counted exactly once, and each event logged. Then without follow: a glob
# over plain and gzip files, in name order, to EOF, counts exact.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

mkdir logs
seq 1 1000 >logs/app.log
cat >q.sql <<'SQL'
CREATE STREAM l (line TEXT) FROM FILE 'logs/*.log' FORMAT TEXT
  WITH (follow = true, rotate_wait = '2 seconds', poll_interval = '200 milliseconds');
CREATE QUERY c AS SELECT line, COUNT(*) AS n FROM l GROUP BY line TRIGGER EVERY 100 MILLISECONDS;
SQL
"$SLUICE" run --db db q.sql 2>err.txt &
pid=$!
BG_PIDS+=("$pid")

# wait_for N: the table holds N distinct lines (60 s at most), each counted once.
wait_for() {
  local got
  for _ in $(seq 600); do
    got=$(sqlite3 db "SELECT count(*) || '|' || coalesce(max(n), 0) FROM c" 2>/dev/null || true)
    [ "$got" = "$1|1" ] && return 0
    case $got in *\|[2-9]*) break ;; esac
    sleep 0.1
  done
  cat err.txt
  fail "want $1 lines each once, have lines|max count = $got"
}

wait_for 1000
# Rotation 1: lines the reader has not seen yet, then more to the renamed file.
seq 1001 2000 >>logs/app.log
mv logs/app.log logs/app.log.1
seq 2001 2500 >>logs/app.log.1
seq 2501 3000 >logs/app.log
wait_for 3000
# Rotation 2, and a new file.
seq 3001 3500 >>logs/app.log
mv logs/app.log logs/app.log.2
seq 3501 4000 >logs/app.log
seq 4001 4100 >logs/other.log
wait_for 4100
# copytruncate: other.log copied away and emptied; what comes next is read from its start.
cp logs/other.log logs/other.log.1
: >logs/other.log
seq 4101 4120 >>logs/other.log
wait_for 4120
[ "$(sqlite3 db 'SELECT sum(CAST(line AS INTEGER)) FROM c')" = "$((4120 * 4121 / 2))" ] ||
  fail "the lines are not 1..4120"
# The renamed files are closed rotate_wait after they last grew.
for _ in $(seq 300); do
  [ "$(grep -c "read to its end after its rotation" err.txt)" = 2 ] && break
  sleep 0.1
done
kill -TERM "$pid"
wait "$pid" || { cat err.txt; fail "sluice run did not stop cleanly on SIGTERM"; }
for what in "logs/app.log was rotated to logs/app.log.1" "logs/app.log was rotated to logs/app.log.2" \
            "new file logs/app.log" "new file logs/other.log" "logs/other.log was truncated" \
            "logs/app.log.1 read to its end after its rotation" \
            "logs/app.log.2 read to its end after its rotation"; do
  [ "$(grep -c "$what" err.txt)" -ge 1 ] || { cat err.txt; fail "not logged: $what"; }
done
[ "$(grep -c "logs/other.log was truncated" err.txt)" = 1 ] || { cat err.txt; fail "truncation logged more than once"; }
echo "ok: followed through two rotations, a new file and a truncation, 4120 lines once each"

# Stopped: the log rotated with lines not read yet (found by its inode under
# its new name and read to its end before the new one), then rotated once
# more (that middle file no checkpoint knew and the pattern does not match:
# its lines are lost, and said so), and other.log deleted with 10 lines not
# read (reported).
seq 4121 4200 >>logs/app.log
mv logs/app.log logs/app.log.3
seq 5001 5050 >logs/app.log
mv logs/app.log logs/app.log.4
seq 4201 4250 >logs/app.log
seq 5051 5060 >>logs/other.log
rm logs/other.log
"$SLUICE" run --db db q.sql 2>>err.txt &
pid=$!
BG_PIDS+=("$pid")
wait_for 4250
[ "$(sqlite3 db 'SELECT sum(CAST(line AS INTEGER)) FROM c')" = "$((4250 * 4251 / 2))" ] ||
  fail "the lines are not 1..4250"
kill -TERM "$pid"
wait "$pid" || { cat err.txt; fail "sluice run did not stop cleanly on SIGTERM"; }
grep -q "logs/other.log (inode [0-9]*), read up to byte 100, is gone" err.txt ||
  { cat err.txt; fail "the lost file was not reported"; }
grep -q "logs/app.log.4 was written after logs/app.log.3 (rotated while the query was stopped)" err.txt ||
  { cat err.txt; fail "the unread rotation was not reported"; }
if grep -q "was truncated while\|was replaced while" err.txt; then cat err.txt; fail "a file was read again"; fi
echo "ok: a rotation while stopped read on by inode; a second one and a deleted file reported"

# Without follow: plain and gzip files in name order, then EOF.
mkdir gz
seq 1 500 >gz/a.txt
seq 501 20500 | gzip >gz/b.txt.gz
printf '20501\n20502' >gz/c.txt # no final newline: the next file's first line stays apart
seq 20503 21000 | gzip >gz/d.txt.gz
cat >gz.sql <<'SQL'
CREATE STREAM g (line TEXT) FROM FILE 'gz/*' FORMAT TEXT;
CREATE QUERY gc AS SELECT COUNT(*) AS n, SUM(CAST(line AS INTEGER)) AS s, COUNT(DISTINCT line) AS d FROM g;
SQL
"$SLUICE" run --db gzdb gz.sql 2>gzerr.txt || { cat gzerr.txt; fail "the gzip run failed"; }
[ "$(sqlite3 gzdb 'SELECT n || "|" || s || "|" || d FROM gc')" = "21000|$((21000 * 21001 / 2))|21000" ] ||
  fail "gzip glob: n|sum|distinct = $(sqlite3 gzdb 'SELECT * FROM gc')"
echo "ok: a glob of plain and gzip files read in name order, 21000 lines"
echo "1 passed, 0 failed"
