#!/usr/bin/env bash
# Statements past SQLite's own limits are refused at once with a message,
# not a crash or minutes of work (issue 17, defects 3 and 10): an expression
# deeper than 1,000 (a flat chain of 50,000 '+' or 60,000 OR), 200,000 select
# items. A long line is shown around the caret, cut at "...". At the limits,
# a 999-operator chain and 2,000 columns of one name run.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

stream='CREATE STREAM s (v INTEGER) FROM STDIN FORMAT CSV;'
# refused FILE: `sluice check FILE` must fail, printing exactly stdin.
refused() {
  local rc=0
  timeout 20 "$SLUICE" check "$1" >got.txt 2>&1 || rc=$?
  [ "$rc" = 1 ] || { head -c 600 got.txt; fail "$1: exit code $rc, not 1"; }
  diff - got.txt || fail "$1: not the expected message"
}

{ echo "$stream"; printf 'CREATE QUERY q AS SELECT v'; for _ in $(seq 49999); do printf '+v'; done; echo ' AS x FROM s;'; } >sum.sql
refused sum.sql <<'OUT'
sum.sql:2:2025: error: expression tree is too large (maximum depth 1000, as in SQLite)
    2 | ...+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v+v...
      |                                                                ^
hint: a long OR of equalities is x IN (a, b, ...); a long sum or chain can be split over columns of a derived table
OUT

{ echo "$stream"; printf 'CREATE QUERY q AS SELECT v FROM s WHERE v = 0'; for i in $(seq 59999); do printf ' OR v = %d' "$i"; done; echo ';'; } >or.sql
refused or.sql <<'OUT'
or.sql:2:10917: error: expression tree is too large (maximum depth 1000, as in SQLite)
    2 | ... 993 OR v = 994 OR v = 995 OR v = 996 OR v = 997 OR v = 998 OR v = 999 OR v = 1000 OR v = 1001 OR v = 1002 OR v = 1003 OR v = 1004 OR v = 1005 OR v = 1006 OR v ...
      |                                                                ^~
hint: a long OR of equalities is x IN (a, b, ...); a long sum or chain can be split over columns of a derived table
OUT

{ echo "$stream"; printf 'CREATE QUERY q AS SELECT v'; for _ in $(seq 199999); do printf ', v'; done; echo ' FROM s;'; } >wide.sql
refused wide.sql <<'OUT'
wide.sql:2:6026: error: a SELECT may have at most 2000 columns; this one has 200000
    2 | ...v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v...
      |                                                                ^
hint: a result table is a SQLite table, whose columns SQLite limits: select fewer columns, or pack some into one (json_array, ||)
OUT

# At the limits: 999 operators, and 2,000 columns named v, v:1 ... v:1999 as SQLite names them.
{ echo "$stream"; printf 'CREATE QUERY deep AS SELECT v'; for _ in $(seq 999); do printf '+v'; done; echo ' AS x FROM s;'; } >deep.sql
echo 3 | timeout 60 "$SLUICE" run --db db deep.sql >/dev/null 2>&1 || fail "a 999-operator chain"
[ "$(sqlite3 db 'SELECT x FROM deep')" = 3000 ] || fail "the 999-operator chain's value"
{ echo "$stream"; printf 'CREATE QUERY w AS SELECT v'; for _ in $(seq 1999); do printf ', v'; done; echo ' FROM s;'; } >cols.sql
echo 3 | timeout 60 "$SLUICE" run --db db cols.sql >/dev/null 2>&1 || fail "2,000 columns"
[ "$(sqlite3 db "SELECT count(*), max(name) FROM pragma_table_info('w')")" = "2000|v:999" ] ||
  fail "the 2,000 columns' names: $(sqlite3 db "SELECT count(*), max(name) FROM pragma_table_info('w')")"
[ "$(sqlite3 db 'SELECT v, "v:1999" FROM w')" = "3|3" ] || fail "the 2,000 columns' values"
echo "ok: limits refused with their messages, a 999-deep chain and 2,000 columns run"
