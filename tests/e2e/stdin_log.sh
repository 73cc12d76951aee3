#!/usr/bin/env bash
# STDIN WITH (log = true): stdin is read by the stream's ingest into its log,
# two queries read the log, and the run ends when stdin does; run again on
# the same database, the queries resume at their place in the log.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

cat >q.sql <<'SQL'
CREATE STREAM s (n INTEGER) FROM STDIN FORMAT CSV WITH (log = true);
CREATE QUERY total AS SELECT count(*) AS c, sum(n) AS t FROM s;
CREATE QUERY evens AS SELECT count(*) AS c FROM s WHERE n % 2 = 0;
SQL
seq 1 50000 | "$SLUICE" run --db db q.sql 2>err.txt || { cat err.txt; fail "first run"; }
[ "$(sqlite3 db 'SELECT c, t FROM total')" = "50000|1250025000" ] || fail "total: $(sqlite3 db 'SELECT * FROM total')"
[ "$(sqlite3 db 'SELECT c FROM evens')" = 25000 ] || fail "evens: $(sqlite3 db 'SELECT * FROM evens')"
seq 50001 60000 | "$SLUICE" run --db db q.sql 2>err.txt || { cat err.txt; fail "second run"; }
grep -q "query total resumed after record" err.txt || { cat err.txt; fail "no resume from the log"; }
[ "$(sqlite3 db 'SELECT c FROM total')" = 60000 ] || fail "total after the second run: $(sqlite3 db 'SELECT * FROM total')"
[ "$(sqlite3 db 'SELECT c FROM evens')" = 30000 ] || fail "evens after the second run: $(sqlite3 db 'SELECT * FROM evens')"
[ "$(sqlite3 db 'SELECT count(*) FROM _sluice_log')" = 0 ] || fail "the log was not trimmed"
echo "1 passed, 0 failed"
