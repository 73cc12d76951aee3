#!/usr/bin/env bash
# While `sluice run` writes batch after batch, another process reading the
# result table with the sqlite3 CLI, without a busy timeout, never sees an error (WAL).
source "$(dirname "$0")/lib.bash"

text=$WORK/text.txt
"$BUILD_DIR/sl_textgen" 400000 5000 3 >"$text"
start_feeder "$text" --chunk 8192 --pause-ms 30
cat >"$WORK/q.sql" <<SQL
CREATE STREAM lines (line TEXT) FROM SOCKET '127.0.0.1:$FEEDER_PORT' FORMAT TEXT;
CREATE QUERY word_counts AS
  SELECT word, COUNT(*) AS n FROM lines, UNNEST(split(line, ' ')) AS word
  WHERE word <> '' GROUP BY word TRIGGER EVERY 50 MILLISECONDS;
SQL
"$SLUICE" run --db "$WORK/db" "$WORK/q.sql" &
sluice_pid=$!
BG_PIDS+=($sluice_pid)

# Sluice creates the database and the table first (switching a new file to
# WAL takes an exclusive lock for an instant); from then on it writes.
for _ in $(seq 200); do
  sqlite3 -cmd '.timeout 2000' "$WORK/db" 'select 1 from word_counts' >/dev/null 2>&1 && break
  sleep 0.02
done
reads=0
growing=0
last=0
while kill -0 "$sluice_pid" 2>/dev/null; do
  n=$(command sqlite3 "$WORK/db" 'select count(*) from word_counts' 2>"$WORK/err") || {
    cat "$WORK/err" >&2
    fail "reader failed while sluice was writing (after $reads reads)"
  }
  reads=$((reads + 1))
  [ "$n" -gt "$last" ] && growing=$((growing + 1))
  last=$n
done
wait "$sluice_pid" || fail "sluice run exited with $?"
echo "ok: $reads reads while writing, the count grew $growing times"
[ "$reads" -ge 10 ] || fail "too few reads ($reads) to prove anything"
[ "$growing" -ge 2 ] || fail "the reader never saw the table grow"
echo "1 passed, 0 failed"
