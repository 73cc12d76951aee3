#!/usr/bin/env bash
# PAUSE QUERY in a running shell: the query stops reading its source (a file
# it follows) at once and keeps its state; RESUME QUERY reads what was
# appended meanwhile, once.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

: >in.txt
mkfifo cmds
"$SLUICE" --db t.db <cmds >out.txt 2>err.txt &
BG_PIDS+=($!)
exec 3>cmds
count() { sqlite3 t.db 'SELECT n FROM c' 2>/dev/null || true; }
# wait_for TEXT-COMMAND EXPECTED: polls for up to 30 s.
wait_for() {
  for _ in $(seq 300); do [ "$($1)" = "$2" ] && return 0; sleep 0.1; done
  cat err.txt; fail "$1 is '$($1)', not '$2'"
}

cat >&3 <<'SQL'
CREATE STREAM s (w TEXT) FROM FILE 'in.txt' FORMAT TEXT WITH (follow = true, poll_interval = '100 milliseconds');
CREATE QUERY c AS SELECT count(*) AS n FROM s TRIGGER EVERY 200 MILLISECONDS;
SQL
seq 1 5 >>in.txt
wait_for count 5
echo 'PAUSE QUERY c;' >&3
paused_notice() { grep -c '^query c paused after batch' err.txt || true; }
wait_for paused_notice 1
seq 6 9 >>in.txt
sleep 1 # nothing may be read meanwhile: give the query time to (wrongly) read it
[ "$(count)" = 5 ] || fail "a paused query read on: $(count)"
echo 'RESUME QUERY c;' >&3
wait_for count 9
seq 10 10 >>in.txt
wait_for count 10
# The followed file never ends, so the shell would wait on at end of input: stop it.
exec 3>&-
kill -TERM "${BG_PIDS[0]}"
wait "${BG_PIDS[0]}" || true
grep -q '^query c resumed' err.txt || { cat err.txt; fail "RESUME's notice"; }
echo PASS
