#!/usr/bin/env bash
# PAUSE QUERY / RESUME QUERY: a paused query reads nothing and stays paused
# across restarts (a script that creates it again, `sluice run --db` resuming
# the saved queries); RESUME QUERY goes on from its checkpoint with its state
# (the rows appended meanwhile are counted once, the first ones not again).
source "$(dirname "$0")/lib.bash"
cd "$WORK"

seq 1 10 | sed 's/^/w/' >in.txt
cat >create.sql <<'SQL'
CREATE STREAM s (w TEXT) FROM FILE 'in.txt' FORMAT TEXT;
CREATE QUERY c AS SELECT count(*) AS n FROM s;
SQL
count() { sqlite3 t.db 'SELECT n FROM c'; }
paused() { sqlite3 t.db "SELECT paused FROM _sluice_queries WHERE name = 'c'"; }

"$SLUICE" run --db t.db create.sql 2>err.txt || { cat err.txt; fail "first run"; }
[ "$(count)" = 10 ] || fail "first run counted $(count)"
[ "$(paused)" = 0 ] || fail "a new query is paused"

echo 'PAUSE QUERY c;' >pause.sql
"$SLUICE" run --db t.db pause.sql 2>err.txt || { cat err.txt; fail "PAUSE QUERY"; }
grep -q '^query c paused after batch 1: it reads nothing until RESUME QUERY c$' err.txt ||
  { cat err.txt; fail "PAUSE QUERY's notice"; }
[ "$(paused)" = 1 ] || fail "PAUSE QUERY left paused = $(paused)"
"$SLUICE" run --db t.db pause.sql 2>err.txt || { cat err.txt; fail "PAUSE QUERY again"; }
grep -q '^query c is already paused$' err.txt || { cat err.txt; fail "pausing twice"; }

# Rows arrive while it is paused: neither a restart nor the script reads them.
seq 11 15 | sed 's/^/w/' >>in.txt
"$SLUICE" run --db t.db 2>err.txt || { cat err.txt; fail "resuming the saved queries"; }
grep -q '^query c is paused: RESUME QUERY c goes on from its last batch$' err.txt ||
  { cat err.txt; fail "a restart did not say the query is paused"; }
"$SLUICE" run --db t.db create.sql 2>err.txt || { cat err.txt; fail "the script again"; }
grep -q '^query c is paused' err.txt || { cat err.txt; fail "the script started a paused query"; }
[ "$(count)" = 10 ] || fail "a paused query counted $(count)"
[ "$(paused)" = 1 ] || fail "a restart unpaused the query"

# A new definition is refused while paused (it would be saved without running).
echo 'CREATE QUERY c AS SELECT count(*) AS n FROM s WHERE w <> '"'x'"';' >changed.sql
if "$SLUICE" run --db t.db create.sql changed.sql 2>err.txt; then fail "a changed paused query ran"; fi
grep -q 'query "c" is paused: its definition cannot change while it is paused' err.txt ||
  { cat err.txt; fail "changing a paused query"; }

echo 'RESUME QUERY c;' >resume.sql
"$SLUICE" run --db t.db create.sql resume.sql 2>err.txt || { cat err.txt; fail "RESUME QUERY"; }
grep -q '^query c resumed at byte 31 of its input, with 1 groups$' err.txt ||
  { cat err.txt; fail "RESUME QUERY did not go on from the checkpoint"; }
[ "$(count)" = 15 ] || fail "after RESUME QUERY the count is $(count)"
[ "$(paused)" = 0 ] || fail "RESUME QUERY left paused = $(paused)"
[ "$(sqlite3 t.db "SELECT max(batch_id) FROM _sluice_progress WHERE query = 'c'")" = 2 ] ||
  fail "batches did not go on"
"$SLUICE" run --db t.db resume.sql 2>err.txt || { cat err.txt; fail "RESUME QUERY again"; }
grep -q '^query c is already running$\|^query c resumed' err.txt || { cat err.txt; fail "resuming twice"; }

printf 'PAUSE QUERY nope;\n' >unknown.sql
if "$SLUICE" run --db t.db unknown.sql 2>err.txt; then fail "PAUSE of an unknown query"; fi
grep -q 'unknown query "nope"' err.txt || { cat err.txt; fail "unknown query's message"; }

# DROP QUERY of a paused query forgets it, its flag with it.
echo 'PAUSE QUERY c; DROP QUERY c;' >drop.sql
"$SLUICE" run --db t.db drop.sql 2>err.txt || { cat err.txt; fail "DROP QUERY of a paused query"; }
[ -z "$(paused)" ] || fail "DROP QUERY kept the paused row"
echo PASS
