#!/usr/bin/env bash
# DESCRIBE EXTENDED query (issue 15): its columns, how it is doing (status, last
# error, batches, rows/s, lag, state, dead letters) and, while it runs here, its
# plan with each operator's rows in and out, time and state (an exchange's
# partitions summed); of a saved query
# that does not run here, what its progress rows say.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

seq 1 3000 | awk '{printf "%d,%d,%d\n", $1 % 7, $1, $1 * 3}' >bids.csv
# The shell reads its input as it comes: the DESCRIBE is sent once a batch committed.
{
  cat <<'SQL'
CREATE STREAM bids (auction BIGINT, bidder BIGINT, price BIGINT) FROM FILE 'bids.csv' FORMAT CSV;
CREATE QUERY top AS SELECT auction, MAX(price) AS top FROM bids WHERE price > 30 GROUP BY auction;
CREATE QUERY parts AS SELECT auction, COUNT(*) AS n FROM bids GROUP BY auction WITH (partitions = 3);
SQL
  for _ in $(seq 600); do [ "$(committed db)" -ge 2 ] && break; sleep 0.1; done
  echo 'DESCRIBE EXTENDED parts;'
  echo 'DESCRIBE EXTENDED top;'
} | "$SLUICE" --mode table --db db >out.txt 2>err.txt || { cat err.txt; fail "the shell failed"; }

# Three partitions: their aggregates' counters and state summed, as one operator.
grep -Eq '^\| hash aggregate by auction: count\(\*\) AS COUNT\(\*\) +\| 3000 +\| 7 +\| [0-9.]+ +\| 7 +\| [0-9]+ +\|$' out.txt ||
  { cat out.txt; fail "the partitioned aggregate's counters"; }
sed -i '1,/^| sink result table/d' out.txt

grep -Eq '^\| auction +\| INTEGER +\| yes +\|$' out.txt || { cat out.txt; fail "no columns"; }
grep -Eq '^\| status +\| (RUNNING|FINISHED) +\|$' out.txt || { cat out.txt; fail "no status"; }
grep -Eq '^\| error +\| +\|$' out.txt || { cat out.txt; fail "no error field"; }
grep -Eq '^\| rows +\| 3000 in, 7 out, [0-9.]+ ms a batch \(last 1 batches\) +\|$' out.txt ||
  { cat out.txt; fail "no recent rows"; }
grep -Eq '^\| rows_per_s +\| [0-9.]+ \(last 1 batches\) +\|$' out.txt || { cat out.txt; fail "no rate"; }
grep -Eq '^\| lag_bytes +\| 0 +\|$' out.txt || { cat out.txt; fail "no lag"; }
grep -Eq '^\| state +\| 7 groups, [0-9]+ bytes +\|$' out.txt || { cat out.txt; fail "no state size"; }
grep -Eq '^\| dead_letters +\| 0 +\|$' out.txt || { cat out.txt; fail "no dead letters"; }
# The plan: the scan read 3000 rows, the filter kept 2990 of them, the aggregate holds 7 groups.
grep -Eq "^\| scan bids FILE 'bids.csv' +\| +\| 3000 +\|" out.txt || { cat out.txt; fail "no scan row"; }
grep -Eq '^\| filter \(price > 30\) +\| 3000 +\| 2990 +\| [0-9.]+ +\| +\| +\|$' out.txt ||
  { cat out.txt; fail "the filter's counters"; }
grep -Eq '^\| hash aggregate by auction: max\(#1\) AS MAX\(price\) +\| 2990 +\| 7 +\| [0-9.]+ +\| 7 +\| [0-9]+ +\|$' out.txt ||
  { cat out.txt; fail "the aggregate's counters"; }
grep -Eq '^\| exchange \(partitions by hash of auction\) +\| 2990 +\| 2990 +\|' out.txt ||
  { cat out.txt; fail "the exchange's counters"; }
grep -Eq '^\| sink result table +\| 7 +\| +\|' out.txt || { cat out.txt; fail "the sink's counters"; }

# A run of another script: the saved query does not run; its progress rows still speak.
echo 'DESCRIBE EXTENDED top;' >d.sql
"$SLUICE" run --db db d.sql >out.txt 2>err.txt || { cat err.txt; fail "DESCRIBE EXTENDED of a saved query"; }
grep -Eq '^\| status +\| STOPPED +\|$' out.txt || { cat out.txt; fail "not STOPPED"; }
grep -Eq '^\| top +\| result +\| written by query top \(STOPPED\) +\| 7 +\|$' out.txt ||
  { cat out.txt; fail "no table description"; }
grep -q 'operator' out.txt && { cat out.txt; fail "operators of a query not running"; }
exit 0
