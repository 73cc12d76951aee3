#!/usr/bin/env bash
# A FILE path that opens nothing: the error says which directory a relative
# path was resolved against (where sluice was started, not the script's
# folder), and `sluice check` reports it as `run` does, where the query reads
# the stream; a path that exists passes both.
source "$(dirname "$0")/lib.bash"
cd "$WORK"
here=$(pwd -P) # what getcwd says, symbolic links resolved

mkdir -p scripts/data
echo 'hello' >scripts/data/in.txt
cat >scripts/q.sql <<'SQL'
CREATE STREAM s (line TEXT) FROM FILE 'data/in.txt' FORMAT TEXT;
CREATE QUERY q AS SELECT line FROM s;
SQL

want="q.sql:2:36: error: cannot open file 'data/in.txt' (relative to $here): No such file or directory"
if "$SLUICE" check scripts/q.sql 2>err.txt; then fail "check passed a missing file"; fi
grep -qF "${want/q.sql/scripts/q.sql}" err.txt || { cat err.txt; fail "check's message"; }
if "$SLUICE" run --db t.db scripts/q.sql 2>err.txt; then fail "run passed a missing file"; fi
grep -qF "${want/q.sql/scripts/q.sql}" err.txt || { cat err.txt; fail "run's message"; }

# From the script's folder the same path opens: both pass.
(cd scripts && "$SLUICE" check q.sql) || fail "check of a file that exists"
(cd scripts && "$SLUICE" run --db ../t2.db q.sql 2>/dev/null) || fail "run of a file that exists"
[ "$(sqlite3 t2.db 'SELECT line FROM q')" = hello ] || fail "run read nothing"

# A glob that matches nothing says so, with the directory too.
printf "CREATE STREAM g (line TEXT) FROM FILE 'logs/*.log' FORMAT TEXT;\nSELECT line FROM g;\n" >g.sql
if "$SLUICE" check g.sql 2>err.txt; then fail "check passed a glob matching nothing"; fi
grep -qF "g.sql:2:18: error: no file matches 'logs/*.log' (relative to $here)" err.txt ||
  { cat err.txt; fail "the glob's message"; }
echo PASS
