#!/usr/bin/env bash
# A live SELECT with the shell's input and output piped: each batch is printed
# after the last (no redrawing), under its header line, until the bounded
# input ends; then the next statement's answer follows, in order.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

printf '%s\n' "SET trigger = '100 milliseconds';" \
  "CREATE STREAM g (n BIGINT, ts TIMESTAMP) FROM GENERATOR WITH (rows = 30, rate = 20);" \
  "SELECT n % 2 AS parity, COUNT(*) AS c FROM g GROUP BY 1 ORDER BY 1;" \
  "SELECT 'done' AS after;" |
  timeout 50 "$SLUICE" --mode table --db pipe.db >out.txt 2>err.txt || { cat out.txt err.txt; fail "sluice failed"; }

grep -q $'\033' out.txt && fail "terminal escapes in piped output"
headers=$(grep -cE '^batch [0-9]+ \| [0-9]+ rows/s \| watermark none \| late rows 0 \| dead letters 0$' out.txt || true)
[ "$headers" -ge 2 ] || { cat out.txt; fail "expected a header line per batch, got $headers"; }
# Batch numbers go up one by one, and the last batch has every row.
grep -oE '^batch [0-9]+' out.txt | awk '{ if ($2 != NR) exit 1 }' || { cat out.txt; fail "batches out of order"; }
tail -n 14 out.txt | grep -q '^| 0      | 15 |$' || { cat out.txt; fail "the last batch should count 15 even rows"; }
tail -n 14 out.txt | grep -q '^| 1      | 15 |$' || { cat out.txt; fail "the last batch should count 15 odd rows"; }
[ "$(tail -n 3 out.txt | head -n 1)" = "| done  |" ] || { cat out.txt; fail "the next statement's answer comes after the live query's"; }

# In .mode csv the batches are csv records only: no header line, no rules.
printf '%s\n' ".mode csv" ".headers on" "SET trigger = '100 milliseconds';" \
  "CREATE STREAM g (n BIGINT, ts TIMESTAMP) FROM GENERATOR WITH (rows = 30, rate = 20);" \
  "SELECT n % 2 AS parity, COUNT(*) AS c FROM g GROUP BY 1 ORDER BY 1;" |
  timeout 50 "$SLUICE" --mode table --db csv.db >csv.txt 2>err.txt || { cat csv.txt err.txt; fail "sluice failed (csv)"; }
grep -vqE '^(parity,c|[01],[0-9]+)$' csv.txt && { cat csv.txt; fail "csv batches hold other lines"; }
[ "$(grep -c '^parity,c$' csv.txt)" -ge 2 ] || { cat csv.txt; fail "each csv batch starts with its column names"; }
[ "$(tail -n 2 csv.txt | paste -sd' ')" = "0,15 1,15" ] || { cat csv.txt; fail "the last csv batch"; }
echo "ok: $headers batches"
echo "1 passed, 0 failed"
