#!/usr/bin/env bash
# A tumbling EMIT FINAL window's row reaches SQLite as soon as the step that
# moved the watermark past the window's end is over, not at the next
# trigger (Flink fires a window on the watermark). The REPL reads its
# statements from a FIFO, over a socket stream, with the clock stopped
# (SET clock = TIMESTAMP ...): the trigger interval never passes, so the
# row can only have come from the window closing.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

# a@00:00:01 and a@00:00:05 fill [00:00:00, 00:00:10); b@00:00:12 moves the
# watermark (no delay) past its end. The server then keeps the connection
# open (--pause-ms after the only chunk) until the test stops it.
printf 'a,2026-01-01 00:00:01\na,2026-01-01 00:00:05\nb,2026-01-01 00:00:12\n' >ev.csv
start_feeder ev.csv --pause-ms 60000
feeder=${BG_PIDS[-1]}

mkfifo in
"$SLUICE" --db w.db <in >out.txt 2>err.txt &
BG_PIDS+=($!)
exec 3>in
cat >&3 <<SQL
SET clock = TIMESTAMP '2026-01-01 00:00:00';
CREATE STREAM ev (k TEXT, ts TIMESTAMP, WATERMARK FOR ts AS ts)
  FROM SOCKET '127.0.0.1:$FEEDER_PORT' FORMAT CSV;
CREATE QUERY w AS SELECT k, COUNT(*) AS n FROM ev GROUP BY k
  WINDOW TUMBLING (SIZE 10 SECONDS) EMIT FINAL TRIGGER EVERY 1 SECOND;
SQL

rows() { sqlite3 w.db "SELECT window_start || '|' || k || '|' || n FROM w ORDER BY 1" 2>/dev/null; }
# wait_for WHAT: polls sqlite3 for up to 10 s (a functional wait, not a timing assertion).
wait_for() {
  for _ in $(seq 200); do [ "$(rows)" = "$1" ] && return 0; sleep 0.05; done
  cat err.txt >&2
  fail "expected rows '$1', got '$(rows)'"
}

# The step that read b@00:00:12 closed [00:00:00, 00:00:10): its batch ends
# with it, the clock still stopped.
wait_for "2026-01-01 00:00:00.000000|a|2"

# [00:00:10, 00:00:20) stays open (watermark 00:00:12) until the input ends
# (the server goes away), which takes the watermark to +infinity, clock
# stopped or not.
kill "$feeder"
wait_for "$(printf '2026-01-01 00:00:00.000000|a|2\n2026-01-01 00:00:10.000000|b|1')"
exec 3>&-
echo "1 passed, 0 failed"
