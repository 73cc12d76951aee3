#!/usr/bin/env bash
# A GROUP BY over a SOCKET stream WITH (journal = true), killed with SIGKILL
# at random moments and started again each time: every number the engine
# acknowledged (committed to its journal) before a kill is counted exactly
# once in the end. A server sends the numbers 1..N, continuing on each new
# connection; what a killed run had received but not journaled is lost, as
# with any socket.
source "$(dirname "$0")/lib.bash"
cd "$WORK"
helper="$(dirname "$0")/helpers/journal.py"
total=200000

python3 "$helper" serve "$WORK/port" "$total" &
BG_PIDS+=($!)
for _ in $(seq 200); do [ -s "$WORK/port" ] && break; sleep 0.05; done
port=$(cat "$WORK/port")

cat >q.sql <<SQL
CREATE STREAM nums (n INTEGER) FROM SOCKET '127.0.0.1:$port' FORMAT CSV WITH (journal = true);
CREATE QUERY seen AS SELECT n, count(*) AS c FROM nums GROUP BY n
  TRIGGER EVERY 50 MILLISECONDS;
SQL
: >acked.txt
snapshot() { python3 "$helper" acked db seen acked.txt; }
AFTER_KILL=snapshot kill_and_restart db q.sql
[ "$KILLS" -ge 5 ] || { tail -20 err.txt; fail "only $KILLS kills landed before the input ended"; }
grep -q "resumed at byte .* of its journal" out.txt err.txt || { cat out.txt; fail "the last run did not resume from its journal"; }
python3 "$helper" check db seen acked.txt "$total" || { tail -20 err.txt; fail "not exactly once"; }
echo "ok: $KILLS kills, $(grep -c "of its journal are dropped" err.txt) incomplete records dropped"
[ "$(sqlite3 db "SELECT count(*) FROM _sluice_journal")" = 0 ] || fail "the journal was not trimmed"

# CREATE OR REPLACE starts over: state, checkpoint and journal go.
sed 's/CREATE QUERY/CREATE OR REPLACE QUERY/' q.sql >replace.sql
"$SLUICE" run --db db replace.sql >/dev/null 2>&1 || fail "CREATE OR REPLACE"
[ "$(sqlite3 db 'SELECT count(*) FROM seen')" = 0 ] || fail "the replaced query did not start over"
echo "1 passed, 0 failed"
