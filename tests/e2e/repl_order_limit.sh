#!/usr/bin/env bash
# ORDER BY and LIMIT on live SELECTs in the REPL (stdin not a terminal): each
# printed batch is ordered and cut — a projection's new rows, an
# aggregation's whole table — by output name, ordinal or selected expression.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

printf 'n,name\n5,e\n1,a\n9,i\n3,c\n7,g\n2,b\n3,cc\n' >nums.csv
stream="CREATE STREAM nums (n INTEGER, name TEXT) FROM FILE 'nums.csv' FORMAT CSV (header = true);"

# The rows of the printed table(s), as "a|b" lines, without borders and headers.
rows() { grep '^| ' | sed -n '2,$p' | sed 's/^| //; s/ *| */|/g; s/|$//'; }

out=$(printf '%s\nSELECT n, name FROM nums ORDER BY n DESC LIMIT 3;\n' "$stream" |
  "$SLUICE" --mode table --db a.db 2>/dev/null)
[ "$(echo "$out" | rows)" = "$(printf '9|i\n7|g\n5|e')" ] || { echo "$out"; fail "ORDER BY n DESC LIMIT 3"; }
echo "$out" | grep -q '(3 rows)' || { echo "$out"; fail "exactly 3 rows"; }

# Ties keep arrival order; an ordinal names the second column.
out=$(printf '%s\nSELECT name, n FROM nums ORDER BY 2 LIMIT 4;\n' "$stream" |
  "$SLUICE" --mode table --db b.db 2>/dev/null)
[ "$(echo "$out" | rows)" = "$(printf 'a|1\nb|2\nc|3\ncc|3')" ] || { echo "$out"; fail "ORDER BY 2 LIMIT 4"; }

# An aggregation: a selected expression written again, several keys.
out=$(printf '%s\nSELECT n %% 2 AS odd, count(*), max(name) FROM nums GROUP BY 1 ORDER BY count(*) DESC, odd;\n' \
  "$stream" | "$SLUICE" --mode table --db c.db 2>/dev/null)
[ "$(echo "$out" | rows)" = "$(printf '1|6|i\n0|1|b')" ] || { echo "$out"; fail "aggregation ORDER BY count(*) DESC"; }

# LIMIT 0 prints the header and no row.
out=$(printf '%s\nSELECT n FROM nums LIMIT 0;\n' "$stream" | "$SLUICE" --mode table --db d.db 2>/dev/null)
echo "$out" | grep -q '(0 rows)' || { echo "$out"; fail "LIMIT 0"; }
echo "1 passed, 0 failed"
