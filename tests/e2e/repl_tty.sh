#!/usr/bin/env bash
# The REPL at a real terminal (a pty from script(1)): prompt, a table
# answered by SQLite, Ctrl-C dropping a half-typed statement, a live SELECT
# over a never-ending socket printed batch after batch until Ctrl-C, then the
# prompt usable again and the live query's scratch table gone.
source "$(dirname "$0")/lib.bash"
cd "$WORK"
command -v script >/dev/null || fail "script(1) (util-linux) is needed"

"$BUILD_DIR/sl_textgen" 100000 50 9 >slow.txt
start_feeder slow.txt --chunk 400 --pause-ms 50
{
  sleep 0.5
  printf "CREATE STREAM l (line TEXT) FROM SOCKET '127.0.0.1:%s' FORMAT TEXT;\n" "$FEEDER_PORT"
  sleep 0.3
  printf "SELECT 6 * 7 AS answer;\n"
  sleep 0.3
  printf "SELEC\003"
  sleep 0.3
  printf "SELECT word, COUNT(*) AS n FROM l, UNNEST(split(line, ' ')) AS word\n GROUP BY word;\n"
  sleep 3.5
  printf "\003"
  sleep 0.5
  printf "SELECT count(*) AS live FROM sqlite_master WHERE name LIKE '_sluice_live%%';\n"
  sleep 0.3
  printf ".quit\n"
} | HOME="$WORK" NO_COLOR=1 script -q -c "$SLUICE --db repl.db" /dev/null >out.txt 2>&1 || true
tr -d '\r' <out.txt >screen.txt

grep -q '^sluice> ' screen.txt || { cat screen.txt; fail "no prompt at a terminal"; }
grep -q '| 42     |' screen.txt || { cat screen.txt; fail "SQLite answer"; }
batches=$(grep -c '^batch [0-9]' screen.txt)
[ "$batches" -ge 2 ] || { cat screen.txt; fail "live SELECT printed $batches batches"; }
grep -q 'only showing the first 20 of' screen.txt || { cat screen.txt; fail "batch tables are cut at 20 rows"; }
grep -A3 '| live |' screen.txt | grep -q '| 0    |' || { cat screen.txt; fail "prompt after Ctrl-C, scratch table dropped"; }
grep -q 'SELEC$' screen.txt && grep -q 'syntax error' screen.txt && fail "Ctrl-C must drop the half-typed statement"
[ -s "$WORK/.sluice_history" ] || fail "history not saved"
echo "ok: $batches live batches, then the prompt again"
echo "1 passed, 0 failed"
