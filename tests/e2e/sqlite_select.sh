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
  WHERE a.ts > TIMESTAMP '2026-01-01';" | "$SLUICE" --db e.db 2>&1 || true)
echo "$out" | grep -q '<stdin>:2:26: error: near' || { echo "$out"; fail "SQLite's error"; }
echo "$out" | grep -q "hint: .*to_timestamp" || { echo "$out"; fail "the hint"; }

out=$(printf '%s\n' "SELECT id, later IS ts + INTERVAL '1' HOUR AS same_later,
  since IS ts - TIMESTAMP '2026-01-01 00:00:00' AS same_since,
  first_key IS split_part(doc, '\"', 2) AS same_key,
  ts + INTERVAL '1' HOUR AS again FROM stamped ORDER BY id;" |
  "$SLUICE" --db e.db 2>/dev/null)
expected=$(printf '1|1|1|1|2026-01-01 13:00:00.000000\n2|1|1|1|2026-01-01 13:00:05.250000
3|1|1|1|2026-01-01 00:59:59.999999\n4|1|1|1|\n5|1|1|1|2026-03-01 01:00:00.000000')
[ "$(echo "$out" | rows)" = "$expected" ] || { echo "$out"; fail "timestamp arithmetic over the result table"; }

# Sluice's functions are on Sluice's connection only.
out=$(sqlite3 e.db "SELECT split_part('a b', ' ', 2);" 2>&1) && fail "sqlite3 has split_part: $out"
echo "$out" | grep -q 'no such function: split_part' || fail "sqlite3 said: $out"
echo "1 passed, 0 failed"
