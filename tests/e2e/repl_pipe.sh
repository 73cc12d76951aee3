#!/usr/bin/env bash
# The shell reading a pipe: no prompt, output in statement order with
# stderr and stdout in one file, dot-commands between statements, errors
# numbered by the line of the whole input, `exit` ending the input, .read,
# .output and .once, no colours, and exit code 1 after a failed statement.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

# The issue's acceptance: exactly 1 then 2. In a pipe the shell prints as
# sqlite3 does, in list mode without headers; csv has none either.
printf 'SELECT 1;\n.mode csv\nSELECT 2;\n' | "$SLUICE" --db a.db >out.txt 2>err.txt
printf '1\n2\n' >want.txt
diff -u want.txt out.txt || fail "pipe mode: 1 then 2"
[ ! -s err.txt ] || { cat err.txt; fail "pipe mode printed on stderr"; }
# list mode: values between '|', NULL empty, the names once .headers is on;
# --mode starts in another mode.
printf "SELECT 1 AS a, NULL AS b, 'x y' AS c;\n.headers on\nSELECT 2 AS a, 'z' AS c;\n" |
  "$SLUICE" --db a.db >out.txt 2>&1
printf '1||x y\na|c\n2|z\n' >want.txt
diff -u want.txt out.txt || fail "list mode"
printf 'SELECT 1 AS a;\n' | "$SLUICE" --db a.db --mode table >out.txt 2>&1
printf '+---+\n| a |\n+---+\n| 1 |\n+---+\n(1 row)\n' >want.txt
diff -u want.txt out.txt || fail "--mode table"

# Errors in statement order, with the line in the whole input.
cat >x.sql <<'SQL'
SELECT 'first' AS a;

SELECT
  'second' AS a,
  FROM nowhere;
SELECT 'third' AS a;
CREATE QUERY q AS SELECT x
  FROM no_stream;
SQL
rc=0
"$SLUICE" --mode table --db a.db <x.sql >log.txt 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "exit code $rc after failed statements, not 1"
first=$(grep -n 'first' log.txt | head -1 | cut -d: -f1)
err=$(grep -n '^<stdin>:' log.txt | head -1 | cut -d: -f1)
third=$(grep -n 'third' log.txt | head -1 | cut -d: -f1)
[ -n "$first" ] && [ -n "$err" ] && [ -n "$third" ] || { cat log.txt; fail "missing output"; }
[ "$first" -lt "$err" ] && [ "$err" -lt "$third" ] || { cat log.txt; fail "output out of statement order"; }
grep -q '^<stdin>:[345]:' log.txt || { cat log.txt; fail "the SQLite error is not numbered by the input's line"; }
grep -q '^<stdin>:8:8: error: unknown stream "no_stream"' log.txt || { cat log.txt; fail "the second statement's error is not on line 8"; }
if grep -q $'\033' log.txt; then fail "colours in a pipe"; fi

# A line that ends one statement and begins another waits for the second's end.
printf 'SELECT 1 AS a; SELECT\n2 AS b;\n' | "$SLUICE" --mode table --db a.db >out.txt 2>&1
grep -q '| b |' out.txt || { cat out.txt; fail "a statement begun after another on its line"; }
if grep -q error out.txt; then cat out.txt; fail "a statement begun after another on its line ran half"; fi

# exit ends the input; \d and its like leave no statement pending.
printf 'SELECT 1 AS one;\n\\d\nSELECT 2 AS two;\nexit\nSELECT 3 AS three;\n' | "$SLUICE" --mode table --db b.db >out.txt 2>&1
grep -q '| two |' out.txt || { cat out.txt; fail "\\d left a statement pending"; }
if grep -q 'three' out.txt; then cat out.txt; fail "a statement after exit ran"; fi
printf 'SELECT 1 AS one;\nquit;\nSELECT 3 AS three;\n' | "$SLUICE" --mode table --db b.db >out.txt 2>&1
if grep -q 'three' out.txt; then cat out.txt; fail "a statement after quit; ran"; fi

# .read (errors numbered in the file read), .output and .once.
printf 'SELECT 10 AS ten;\n\nSELECT nope FROM sqlite_master;\n' >inc.sql
cat >main.sql <<'SQL'
.read inc.sql
.output all.txt
.mode csv
SELECT 'to all' AS a;
.once once.txt
SELECT 'to once' AS a;
SELECT 'to all again' AS a;
.output
SELECT 'to stdout' AS a;
.read missing.sql
SQL
rc=0
"$SLUICE" --mode table --db c.db <main.sql >out.txt 2>err.txt || rc=$?
[ "$rc" = 1 ] || fail ".read of a failing file: exit code $rc"
grep -q '| 10  |' out.txt || { cat out.txt err.txt; fail ".read ran nothing"; }
grep -q '^inc.sql:3:' err.txt || { cat err.txt; fail ".read's error is not numbered in its file"; }
printf 'to all\nto all again\n' | diff -u - all.txt || fail ".output"
printf 'to once\n' | diff -u - once.txt || fail ".once"
grep -q '^to stdout$' out.txt || { cat out.txt; fail ".output alone goes back to stdout"; }
grep -q 'cannot read missing.sql' err.txt || { cat err.txt; fail ".read of a missing file"; }

# .open: another database (its own names), then back to the first, its query resumed.
cat >open.sql <<'SQL'
CREATE STREAM s (x INT) FROM FILE 'open.csv' FORMAT CSV;
CREATE QUERY in_first AS SELECT x, COUNT(*) AS n FROM s GROUP BY x;
.open second.db
\d
.open first.db
.tables
SQL
printf '1\n' >open.csv
"$SLUICE" --mode table --db first.db <open.sql >out.txt 2>&1
grep -A3 '| name | type |' out.txt | grep -q '^(0 rows)$' || { cat out.txt; fail ".open second.db still lists the first's names"; }
[ "$(tail -n 1 out.txt)" = in_first ] || { cat out.txt; fail ".open first.db: .tables"; }
grep -q '^query in_first re' out.txt || { cat out.txt; fail ".open resumes the database's queries"; }

# A table a dropped query left is the user's: \d and .schema show it, .tables too.
cat >kept.sql <<'SQL'
CREATE STREAM k (x INT) FROM FILE 'open.csv' FORMAT CSV;
CREATE QUERY kept AS SELECT x, COUNT(*) AS n FROM k GROUP BY x;
DROP QUERY kept;
\d
.schema
.tables
SQL
"$SLUICE" --mode table --db kept.db <kept.sql >out.txt 2>&1
grep -q '^| kept *| table *|$' out.txt || { cat out.txt; fail "\\d: a table left by a dropped query"; }
grep -q '^CREATE TABLE "kept"' out.txt || { cat out.txt; fail ".schema: a table left by a dropped query"; }
[ "$(tail -n 1 out.txt)" = kept ] || { cat out.txt; fail ".tables: a table left by a dropped query"; }

# .timer prints sqlite3's line; .help lists every command.
printf '.timer on\nSELECT 1;\n.help\n' | "$SLUICE" --mode table --db c.db >out.txt 2>&1
grep -q '^Run Time: real [0-9.]* user [0-9.]* sys [0-9.]*$' out.txt || { cat out.txt; fail ".timer"; }
for c in .help .tables '\\dt' '\\d' .schema .streams .queries .sinks .mode '\\x' .headers .timer '\\timing' \
         .read '\\i' .output .once .open .quit .exit '\\q'; do
  grep -q -- "$c" out.txt || fail ".help does not list $c"
done
# \d NAME takes one name, quoted: never more SQL; \x off out of line mode
# keeps the mode; .open failing twice leaves without touching the closed engine.
printf "CREATE STREAM s (line TEXT) FROM FILE 'in.txt' FORMAT TEXT;\n" >ds.sql
: >in.txt
printf '.read ds.sql\n\\d "s; DROP STREAM s"\nSHOW STREAMS;\n' | "$SLUICE" --db d.db >out.txt 2>&1 || true
grep -q 'dropped' out.txt && { cat out.txt; fail "\\d ran the SQL in its argument"; }
grep -q '^s|' out.txt || { cat out.txt; fail "\\d: stream s gone"; }
printf '.mode csv\n\\x off\n.mode\n' | "$SLUICE" --db d.db >out.txt 2>&1
grep -q 'current output mode: csv' out.txt || { cat out.txt; fail "\\x off left csv mode"; }
"$SLUICE" --db d.db -c 'SELECT 1;' >/dev/null 2>&1
rc=0
# The database goes while the shell runs, so reopening it fails too.
{ sleep 1; rm -f d.db*; printf '.open /nonexistent/dir/x.db\n'; } |
  "$SLUICE" --db d.db --readonly >out.txt 2>&1 || rc=$?
[ "$rc" -lt 128 ] || { cat out.txt; fail ".open failing twice crashed (rc $rc)"; }
[ "$rc" = 1 ] || { cat out.txt; fail ".open failing twice: exit code $rc, not 1"; }

echo "1 passed, 0 failed"
