#!/usr/bin/env bash
# FILE with follow = true, killed with SIGKILL at random moments while a
# writer appends to a log and rotates it (so some rotations happen while
# Sluice is down, and the rotated file must be found by its inode under its
# new name): once the writer is done and the last run has caught up, every
# line is counted exactly once.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

mkdir logs
: >logs/app.log
cat >q.sql <<'SQL'
CREATE STREAM l (line TEXT) FROM FILE 'logs/*.log' FORMAT TEXT
  WITH (follow = true, rotate_wait = '200 milliseconds', poll_interval = '200 milliseconds');
CREATE QUERY c AS SELECT line, COUNT(*) AS n FROM l GROUP BY line TRIGGER EVERY 50 MILLISECONDS;
SQL

# 80 blocks of 250 lines (a soak's: 32 a SOAK_SCALE, time for some 60
# kills); the log is rotated to app.log.<k> after every 8th block, once a
# committed batch holds the log's first line: a checkpoint then knows the
# log, so however the kills fall, a rotation while Sluice is down renames a
# file it can find by inode (a log created and rotated away while it was
# down is never seen: file_follow.sh checks that this is reported).
BLOCKS=$(soak_scale 32) LINES=250
[ "$BLOCKS" -ge 80 ] || BLOCKS=80
known() { [ "$(sqlite3 db "SELECT count(*) FROM c WHERE line = '$1'" 2>/dev/null)" = 1 ]; }
writer() {
  local k=0 first=1
  for b in $(seq 0 $((BLOCKS - 1))); do
    seq $((b * LINES + 1)) $(((b + 1) * LINES)) >>logs/app.log
    if [ $((b % 8)) = 7 ]; then
      for _ in $(seq 1200); do known "$first" && break; sleep 0.05; done
      k=$((k + 1))
      mv logs/app.log "logs/app.log.$k"
      : >logs/app.log
      first=$(((b + 1) * LINES + 1))
    fi
    sleep 0.05
  done
  touch writer.done
}
writer &
BG_PIDS+=($!)

kills=0
while [ ! -e writer.done ] || [ "$kills" -lt 5 ]; do
  before=$(committed db)
  "$SLUICE" run --db db q.sql >/dev/null 2>>err.txt &
  pid=$!
  for _ in $(seq 300); do
    [ "$(committed db)" -gt "$before" ] || ! kill -0 "$pid" 2>/dev/null && break
    sleep 0.02
  done
  sleep "$(printf "0.%03d" $((RANDOM % 300)))"
  kill -9 "$pid" 2>/dev/null || { cat err.txt; fail "sluice stopped by itself"; }
  wait "$pid" 2>/dev/null || true
  kills=$((kills + 1))
  [ "$kills" -lt "${KILL_MAX:-60}" ] || break
done

total=$((BLOCKS * LINES))
"$SLUICE" run --db db q.sql >/dev/null 2>>err.txt &
pid=$!
BG_PIDS+=("$pid")
got=
for _ in $(seq "$(soak_scale 600)"); do
  got=$(sqlite3 db "SELECT count(*) || '|' || coalesce(max(n), 0) FROM c" 2>/dev/null || true)
  [ "$got" = "$total|1" ] && break
  sleep 0.1
done
kill -TERM "$pid"
for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null && { tail -30 err.txt; fail "sluice did not stop within 20 s of SIGTERM"; }
wait "$pid" || true
[ "$got" = "$total|1" ] || { tail -30 err.txt; fail "after $kills kills: lines|max count = $got, want $total|1"; }
[ "$(sqlite3 db 'SELECT sum(CAST(line AS INTEGER)) FROM c')" = "$((total * (total + 1) / 2))" ] ||
  fail "the lines are not 1..$total"
grep -q "resumed at byte" err.txt || { tail -30 err.txt; fail "no run said it resumed"; }
if grep -q "is gone\|was truncated\|was replaced\|was written after" err.txt; then tail -30 err.txt; fail "a loss was reported"; fi
echo "ok: $kills kills during follow and rotation, $total lines once each"
soak_report file_follow_crash "$kills" "$((kills + 1))" "$total"
echo "1 passed, 0 failed"
