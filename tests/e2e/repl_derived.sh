#!/usr/bin/env bash
# Derived tables in the REPL (stdin not a terminal): a live SELECT over a
# derived table, ordered and cut per printed batch; and a derived table over
# a plain SQLite table, which is SQLite's to answer whole.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

printf 'n,name\n5,e\n1,a\n9,i\n3,c\n7,g\n2,b\n3,cc\n' >nums.csv
stream="CREATE STREAM nums (n INTEGER, name TEXT) FROM FILE 'nums.csv' FORMAT CSV (header = true);"

# The rows of the printed table(s), as "a|b" lines, without borders and headers.
rows() { grep '^| ' | sed -n '2,$p' | sed 's/^| //; s/ *| */|/g; s/|$//'; }

# A projection: filter and project inside, filter outside, ORDER BY an inner expression's name.
out=$(printf '%s\nSELECT m, tag FROM (SELECT n * 10 AS m, upper(name) AS tag FROM nums WHERE n > 1) AS t WHERE m < 90 ORDER BY m DESC LIMIT 3;\n' \
  "$stream" | "$SLUICE" --mode table --db a.db 2>/dev/null)
[ "$(echo "$out" | rows)" = "$(printf '70|G\n50|E\n30|C')" ] || { echo "$out"; fail "derived projection ORDER BY m DESC LIMIT 3"; }

# An aggregation over a nested derived table without aliases.
out=$(printf '%s\nSELECT odd, count(*) FROM (SELECT * FROM (SELECT n %% 2 AS odd FROM nums)) GROUP BY odd ORDER BY count(*) DESC;\n' \
  "$stream" | "$SLUICE" --mode table --db b.db 2>/dev/null)
[ "$(echo "$out" | rows)" = "$(printf '1|6\n0|1')" ] || { echo "$out"; fail "aggregation over a derived table"; }

# Over a plain table the whole SELECT goes to SQLite (it would be "unknown stream" to Sluice).
sqlite3 c.db "CREATE TABLE scores (name TEXT, pts INTEGER); INSERT INTO scores VALUES ('a', 1), ('b', 4), ('c', 9);"
out=$(printf 'SELECT name, d FROM (SELECT name, pts * 2 AS d FROM scores) WHERE d > 5 ORDER BY d DESC;\n' |
  "$SLUICE" --mode table --db c.db 2>&1)
[ "$(echo "$out" | rows)" = "$(printf 'c|18\nb|8')" ] || { echo "$out"; fail "derived table over a SQLite table"; }
echo "1 passed, 0 failed"
