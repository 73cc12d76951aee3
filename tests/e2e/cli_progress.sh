#!/usr/bin/env bash
# sluice run --progress (issue 15): a line per committed batch per query on
# stderr (rows in/out, duration, watermark), nothing of it on stdout, and a
# summary per query at the end whose totals add up to the input.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

# Several batches: a socket feed of about a second (40 chunks 20 ms apart) under a 100 ms trigger.
"$BUILD_DIR/sl_textgen" 20000 100 5 >slow.txt
start_feeder slow.txt --chunk 512 --pause-ms 20
printf 'u1,5,2026-01-01 00:00:01\nu2,7,2026-01-01 00:00:30\nu1,3,2026-01-01 00:01:10\n' >pay.csv
cat >p.sql <<SQL
CREATE STREAM lines (line TEXT) FROM SOCKET '127.0.0.1:$FEEDER_PORT' FORMAT TEXT;
CREATE QUERY wc AS SELECT word, COUNT(*) AS n
  FROM lines, UNNEST(split(line, ' ')) AS word GROUP BY word TRIGGER EVERY 100 MILLISECONDS;
CREATE STREAM payments (user TEXT, amount INTEGER, ts TIMESTAMP,
                        WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)
  FROM FILE 'pay.csv' FORMAT CSV;
CREATE QUERY per_minute AS SELECT window_start, user, sum(amount) AS total
  FROM payments GROUP BY user WINDOW TUMBLING (SIZE 1 MINUTE);
SQL
"$SLUICE" run --progress --db p.db p.sql >out.txt 2>err.txt || { cat err.txt; fail "run --progress"; }
grep -q 'progress\|summary' out.txt && fail "progress lines on stdout"
batches=$(grep -c '^progress: wc batch [0-9]*: [0-9]* rows in, [0-9]* out, [0-9.]* ms ([0-9]* rows/s)' err.txt || true)
[ "$batches" -ge 2 ] || { cat err.txt; fail "expected several wc batches, got $batches"; }
# Batch numbers go up by one.
grep -o '^progress: wc batch [0-9]*' err.txt | awk '{print $4}' | awk 'NR>1 && $1!=prev+1 {exit 1} {prev=$1}' ||
  fail "wc's batch numbers do not follow each other"
grep -q '^progress: per_minute batch 1: 3 rows in, [0-9]* out, [0-9.]* ms ([0-9]* rows/s), watermark 2026-01-01T00:01:08.000Z' err.txt ||
  { cat err.txt; fail "per_minute's batch line with its watermark"; }
lines=$(wc -l <slow.txt)
grep -q "^summary: wc: $batches batches, $lines rows in, " err.txt || { cat err.txt; fail "wc's summary"; }
grep -q '^summary: per_minute: 1 batches, 3 rows in, .*watermark 2026-01-01T00:01:08.000Z' err.txt ||
  { cat err.txt; fail "per_minute's summary"; }
# Without --progress, none of it.
"$SLUICE" run --db q.db <(sed '1,3d' p.sql) >/dev/null 2>err2.txt
grep -q '^progress\|^summary' err2.txt && fail "progress lines without --progress"
echo "cli_progress: ok"
