#!/usr/bin/env bash
# A one-shot SELECT handed to SQLite that never ends (a recursive CTE with
# no bound) used to ignore SIGINT twice and SIGTERM. SQLite now polls the
# engine's stop and interrupt flags: SIGTERM stops `sluice run`, SIGINT
# the shell's statement, each with a message saying so.
source "$(dirname "$0")/lib.bash"
cd "$WORK"
q='WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c;'
cat >expected.txt <<TXT
-c:1:1: error: the SELECT was interrupted (Ctrl-C or a stop signal) before its end
    1 | $q
      | ^
TXT

# stop_within PID SIGNAL DB: sends it once the SELECT runs (the engine has
# claimed DB, then a moment more); fails unless PID ends within 5 s.
stop_within() {
  for _ in $(seq 200); do [ -e "$3-owner" ] && break; sleep 0.05; done
  sleep 0.5
  kill -"$2" "$1"
  for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.05; done
  fail "SIG$2 did not stop the SELECT within 5 s"
}

"$SLUICE" run --db db -c "$q" >/dev/null 2>err.txt &
pid=$!
BG_PIDS+=("$pid")
stop_within "$pid" TERM db
rc=0
wait "$pid" || rc=$?
[ "$rc" = 1 ] || fail "sluice run exited $rc, not 1"
diff expected.txt err.txt || fail "not the message expected after SIGTERM"
echo "ok: SIGTERM stops sluice run's endless SELECT"

"$SLUICE" --db db2 -c "$q" >/dev/null 2>err.txt &
pid=$!
BG_PIDS+=("$pid")
stop_within "$pid" INT db2
rc=0
wait "$pid" || rc=$?
[ "$rc" = 1 ] || fail "the shell exited $rc, not 1"
diff expected.txt err.txt || fail "not the message expected after SIGINT"
echo "ok: SIGINT stops the shell's endless SELECT"
echo "2 passed, 0 failed"
