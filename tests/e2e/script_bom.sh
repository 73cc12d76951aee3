#!/usr/bin/env bash
# A script that starts with a UTF-8 byte order mark (as editors on Windows
# write them) reads as if it had none, as sqlite3 reads it: through
# `sluice run`, `sluice check`, a FILE.sql argument, a pipe and `.read`; an
# error on its first line is placed as in the text without the mark.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

bom=$'\xef\xbb\xbf'
printf '1\n2\n' >n.csv
printf '%sCREATE STREAM s (n INTEGER) FROM FILE '\''n.csv'\'' FORMAT CSV;\nCREATE QUERY q AS SELECT n FROM s;\n' "$bom" >q.sql
"$SLUICE" check q.sql 2>err.txt || { cat err.txt; fail "check refused a script with a byte order mark"; }
"$SLUICE" run --db db q.sql 2>err.txt || { cat err.txt; fail "run refused a script with a byte order mark"; }
[ "$(sqlite3 db 'SELECT sum(n) FROM q')" = 3 ] || fail "the query did not read its stream"

printf '%sSELECT 40 + 2;\n' "$bom" >s.sql
[ "$("$SLUICE" --db shell.db s.sql)" = 42 ] || fail "a FILE.sql argument with a byte order mark"
[ "$("$SLUICE" --db shell.db <s.sql)" = 42 ] || fail "a piped script with a byte order mark"
[ "$("$SLUICE" --db shell.db -c '.read s.sql')" = 42 ] || fail ".read of a file with a byte order mark"

printf '%sSELEC 1;\n' "$bom" >bad.sql
if "$SLUICE" --db shell.db bad.sql 2>err.txt; then fail "a syntax error passed"; fi
diff - err.txt <<'ERR' || fail "the error is not placed as without the mark"
bad.sql:1:1: error: syntax error near "SELEC"
    1 | SELEC 1;
      | ^~~~~
hint: did you mean SELECT?
ERR
echo "ok: run, check, a FILE.sql, a pipe and .read read past a byte order mark"
echo "1 passed, 0 failed"
