#!/usr/bin/env bash
# A FIFO named as a FILE source used to block the whole process in open()
# (waiting for a writer), with SIGTERM ignored. A FILE stream reads regular
# files, which it can read again from a checkpoint: a FIFO is refused at
# once, saying what to do instead; a glob skips one; and a pipe's bytes
# read FROM STDIN stop on SIGTERM while no writer sends anything.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

mkfifo pipe
cat >q.sql <<'SQL'
CREATE STREAM s (line TEXT) FROM FILE 'pipe' FORMAT TEXT;
CREATE QUERY c AS SELECT line FROM s;
SQL
cat >expected.txt <<'TXT'
q.sql:2:36: error: 'pipe' is a FIFO (named pipe): a FILE stream reads regular files, which it can read again from a checkpoint
hint: send its bytes to `sluice run q.sql < PATH` and declare the stream FROM STDIN
    2 | CREATE QUERY c AS SELECT line FROM s;
      |                                    ^
TXT
rc=0
timeout 10 "$SLUICE" run --db db q.sql >/dev/null 2>err.txt || rc=$?
[ "$rc" = 1 ] || { cat err.txt; fail "sluice run over a FIFO exited $rc (124: it blocked), not 1"; }
grep -v '^stream s created$' err.txt >got.txt || true
diff expected.txt got.txt || fail "not the message expected for a FIFO"
rc=0
timeout 10 "$SLUICE" check q.sql >/dev/null 2>err.txt || rc=$?
[ "$rc" = 1 ] || { cat err.txt; fail "sluice check over a FIFO exited $rc, not 1"; }
diff expected.txt err.txt || fail "sluice check says something else"
echo "ok: a FIFO as a FILE source is refused at once"

mkdir in
mkfifo in/b.log
printf 'one\ntwo\n' >in/a.log
cat >glob.sql <<'SQL'
CREATE STREAM g (line TEXT) FROM FILE 'in/*.log' FORMAT TEXT;
CREATE QUERY gc AS SELECT line FROM g;
SQL
timeout 10 "$SLUICE" run --db db2 glob.sql >/dev/null 2>err.txt || { cat err.txt; fail "a glob with a FIFO in it failed or blocked"; }
[ "$(sqlite3 db2 'SELECT group_concat(line) FROM gc')" = "one,two" ] || fail "the glob's regular file was not read"
echo "ok: a glob skips a FIFO"

mkfifo feed
cat >stdin.sql <<'SQL'
CREATE STREAM i (line TEXT) FROM STDIN FORMAT TEXT;
CREATE QUERY ic AS SELECT line FROM i;
SQL
sleep 30 >feed &
writer=$!
BG_PIDS+=("$writer")
"$SLUICE" run --db db3 stdin.sql <feed >/dev/null 2>err.txt &
pid=$!
BG_PIDS+=("$pid")
for _ in $(seq 200); do grep -q "query ic started" err.txt && break; sleep 0.05; done
kill -TERM "$pid"
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
kill -0 "$pid" 2>/dev/null && fail "SIGTERM did not stop a run waiting on a silent pipe within 5 s"
wait "$pid" || { cat err.txt; fail "the run stopped by SIGTERM did not exit 0"; }
echo "ok: SIGTERM stops a run waiting on a silent pipe"
echo "3 passed, 0 failed"
