#!/usr/bin/env bash
# PRINT stream LIMIT n over a stream that never ends (a followed file): the
# shell prints n rows as they arrive, then stops it and goes on with the next
# statement; in `sluice run` the LIMIT ends the run.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

printf 'a\nb\nc\n' >in.txt
stream="CREATE STREAM s (w TEXT) FROM FILE 'in.txt' FORMAT TEXT WITH (follow = true);"
printf '%s\nPRINT s LIMIT 2;\nSELECT 42 AS answer;\n' "$stream" |
  timeout 60 "$SLUICE" --mode table --db t.db >out.txt 2>err.txt || { cat err.txt; fail "the shell did not end"; }
grep -q '^| a *|$' out.txt && grep -q '^| b *|$' out.txt || { cat out.txt; fail "PRINT's rows"; }
! grep -q '^| c *|$' out.txt || { cat out.txt; fail "PRINT printed past its LIMIT"; }
grep -q '42' out.txt || { cat out.txt err.txt; fail "the statement after PRINT did not run"; }
[ "$(grep -c 'answer' out.txt)" = 1 ] || fail "the answer's header"

printf '%s\nPRINT s LIMIT 3;\n' "$stream" >p.sql
timeout 60 "$SLUICE" run --db t2.db p.sql >out.txt 2>err.txt || { cat err.txt; fail "run did not end at the LIMIT"; }
[ "$(grep -c '^| [abc] *|$' out.txt)" = 3 ] || { cat out.txt; fail "run's PRINT rows"; }
echo PASS
