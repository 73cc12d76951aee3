#!/usr/bin/env bash
# A SIGTERM that comes while `sluice run` is still opening its database
# (before the engine exists) stops it all the same: it used to be dropped,
# and a run over a followed file never ended (file_follow_crash.sh's final
# SIGTERM, sent as soon as an earlier run's results were all there, hung so
# on a loaded machine). Another connection holds the new database's lock so
# that the open waits in SQLite's busy handler while the signal arrives.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

mkdir logs
seq 10 >logs/app.log
cat >q.sql <<'SQL'
CREATE STREAM l (line TEXT) FROM FILE 'logs/*.log' FORMAT TEXT WITH (follow = true);
CREATE QUERY c AS SELECT line, COUNT(*) AS n FROM l GROUP BY line TRIGGER EVERY 50 MILLISECONDS;
SQL

# A rollback-journal database locked for 2 s: sluice's switch to WAL waits
# for it (its busy timeout is 5 s), so the open takes about 2 s.
(echo 'CREATE TABLE hold (x); BEGIN EXCLUSIVE; INSERT INTO hold VALUES (1);'; sleep 2; echo 'COMMIT;') |
  sqlite3 db &
locker=$!
BG_PIDS+=("$locker")
for _ in $(seq 100); do [ -s db ] && break; sleep 0.02; done
sleep 0.2

"$SLUICE" run --db db q.sql >/dev/null 2>err.txt &
pid=$!
BG_PIDS+=("$pid")
sleep 0.5
kill -0 "$locker" 2>/dev/null || fail "the lock was let go before the signal: the test proves nothing"
kill -TERM "$pid"
for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null && { cat err.txt; fail "a SIGTERM while the database opened was lost: still running 15 s later"; }
wait "$pid" || { cat err.txt; fail "sluice run did not stop cleanly"; }
wait "$locker" || true
echo "ok: a SIGTERM while the database opened stops the run"
echo "1 passed, 0 failed"
