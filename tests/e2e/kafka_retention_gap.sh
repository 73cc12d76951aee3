#!/usr/bin/env bash
# Offsets that fall out of a topic's retention while a query is stopped are
# a gap, never skipped silently: the restarted query says how many records it
# lost (log), counts them in _sluice_progress.gap, and reads on from the
# partition's first offset. The mock cluster keeps about 5 MiB per partition,
# so 8 MiB produced while the query is stopped pushes out what it had not read.
source "$(dirname "$0")/kafka.bash"
cd "$WORK"

start_kafka 1
kafka topic events 1
seq 1 100 | sed 's/^/k,/' >first.csv
kafka produce events first.csv 0
cat >q.sql <<SQL
CREATE STREAM ev (k TEXT, n BIGINT) FROM KAFKA '$KAFKA_BOOTSTRAP' TOPIC 'events' FORMAT CSV
  WITH (end = 'latest');
CREATE QUERY counts AS SELECT count(*) AS n, min(kafka_offset) AS first, max(kafka_offset) AS last FROM ev;
SQL
"$SLUICE" run --db db q.sql 2>err.txt || { cat err.txt; fail "the first run failed"; }
[ "$(sqlite3 db 'SELECT n, first, last FROM counts')" = "100|0|99" ] ||
  fail "the first run did not read offsets 0-99: $(sqlite3 db 'SELECT * FROM counts')"

# 80,000 messages of ~100 bytes while the query is stopped.
awk 'BEGIN { pad = sprintf("%90s", ""); gsub(/ /, "x", pad); for (i = 101; i <= 80100; i++) print pad "," i }' >more.csv
kafka produce events more.csv 0
"$SLUICE" run --db db q.sql 2>err.txt || { cat err.txt; fail "the run after the gap failed"; }
gap=$(sqlite3 db 'SELECT sum(gap) FROM _sluice_progress')
[ "${gap:-0}" -gt 0 ] || fail "no gap counted in _sluice_progress: $(sqlite3 db 'SELECT * FROM _sluice_progress')"
grep -q "records fell out of the topic's retention before they were read" err.txt ||
  { cat err.txt; fail "the gap was not logged"; }
# Every offset is either read or counted in the gap: 100 + gap + what was read after it = 80,100.
read -r n last < <(sqlite3 -separator ' ' db 'SELECT n, last FROM counts')
[ "$last" = 80099 ] || fail "the last offset read is $last, not 80099"
[ $((n + gap)) = 80100 ] || fail "read $n and lost $gap of 80100 records"
echo "ok: $gap records lost to retention, counted and logged; $n read"
echo "1 passed, 0 failed"
