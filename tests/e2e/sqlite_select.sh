#!/usr/bin/env bash
# A one-shot SELECT over a query's result table computes as the query does:
# ts + INTERVAL and ts - TIMESTAMP over the table (where a TIMESTAMP is stored
# as TEXT) give what the query wrote, because the running query types the
# columns; Sluice's functions work there, and SQLite's other readers
# (the sqlite3 shell) keep SQLite's own functions.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

cp "$SOURCE_DIR/tests/sql/data/lit_times.csv" .
cat >setup.sql <<'SQL'
CREATE STREAM ev (id INTEGER, ts TIMESTAMP, doc TEXT)
  FROM FILE 'lit_times.csv' FORMAT CSV (header = true);
CREATE QUERY stamped AS
  SELECT id, ts, doc, ts + INTERVAL '1' HOUR AS later,
         ts - TIMESTAMP '2026-01-01 00:00:00' AS since,
         split_part(doc, '"', 2) AS first_key
  FROM ev;
SQL
"$SLUICE" run --db e.db setup.sql 2>/dev/null || fail "setup run"

# The rows of the printed table(s), as "a|b" lines, without borders and headers.
rows() { grep '^| ' | sed -n '2,$p' | sed 's/^| //; s/ *| */|/g; s/|$//'; }

# A SELECT Sluice's grammar does not cover (a join) reaches SQLite as written:
# a TIMESTAMP literal there is SQLite's syntax error, with a hint.
out=$(printf '%s\n' "SELECT a.id FROM stamped AS a JOIN stamped AS b ON a.id = b.id
  WHERE a.ts > TIMESTAMP '2026-01-01';" | "$SLUICE" --mode table --db e.db 2>&1 || true)
echo "$out" | grep -q '<stdin>:2:26: error: near' || { echo "$out"; fail "SQLite's error"; }
echo "$out" | grep -q "hint: .*to_timestamp" || { echo "$out"; fail "the hint"; }

out=$(printf '%s\n' "SELECT id, later IS ts + INTERVAL '1' HOUR AS same_later,
  since IS ts - TIMESTAMP '2026-01-01 00:00:00' AS same_since,
  first_key IS split_part(doc, '\"', 2) AS same_key,
  ts + INTERVAL '1' HOUR AS again FROM stamped ORDER BY id;" |
  "$SLUICE" --mode table --db e.db 2>/dev/null)
expected=$(printf '1|1|1|1|2026-01-01 13:00:00.000000\n2|1|1|1|2026-01-01 13:00:05.250000
3|1|1|1|2026-01-01 00:59:59.999999\n4|1|1|1|\n5|1|1|1|2026-03-01 01:00:00.000000')
[ "$(echo "$out" | rows)" = "$expected" ] || { echo "$out"; fail "timestamp arithmetic over the result table"; }

# Sluice's aggregates SQLite lacks: over the rows a query kept, as the
# query computing them over the stream.
printf 'n,name\n5,e\n1,a\n9,i\n3,c\n7,g\n2,b\n3,cc\n' >nums.csv
aggs="stddev(n) AS sd, variance(n) AS v, approx_percentile(n, 0.5) AS med,
  collect_list(name) AS names, earliest(name) AS first, latest(name) AS last,
  approx_count_distinct(name) AS d"
printf '%s\n' "CREATE STREAM nums (n INTEGER, name TEXT) FROM FILE 'nums.csv' FORMAT CSV (header = true);
CREATE QUERY raw AS SELECT n, name FROM nums;
CREATE QUERY agg AS SELECT $aggs FROM nums;" >aggs.sql
"$SLUICE" run --db e.db aggs.sql 2>/dev/null || fail "aggregates run"
queried=$(printf '%s\n' "SELECT * FROM agg;" | "$SLUICE" --mode table --db e.db 2>/dev/null | rows)
computed=$(printf '%s\n' "SELECT $aggs FROM raw;" | "$SLUICE" --mode table --db e.db 2>/dev/null | rows)
[ -n "$queried" ] && [ "$queried" = "$computed" ] ||
  fail "aggregates: the query wrote '$queried', the SELECT computed '$computed'"
out=$(printf '%s\n' "SELECT stddev(name) FROM raw;" | "$SLUICE" --mode table --db e.db 2>&1 || true)
echo "$out" | grep -q 'stddev() expects a number, got TEXT' || { echo "$out"; fail "an aggregate's type error"; }

# Sluice's functions are on Sluice's connection only.
out=$(sqlite3 e.db "SELECT split_part('a b', ' ', 2);" 2>&1) && fail "sqlite3 has split_part: $out"
echo "$out" | grep -q 'no such function: split_part' || fail "sqlite3 said: $out"
echo "1 passed, 0 failed"
