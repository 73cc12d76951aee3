#!/usr/bin/env bash
# A dedup (ROW_NUMBER() ... = 1) over many keys holds what each key needs and
# counts all of it in state_bytes, which memory_limit reads. Each key keeps
# one row, a pointer to it, and a pointer to the row it replaced until that
# row's DELETE is written: about 293 bytes a key here. The pointer arrays used
# to start at room for eight each, and were not counted (277 bytes counted,
# about 400 held).
source "$(dirname "$0")/lib.bash"
cd "$WORK"
cat >q.sql <<'SQL'
CREATE STREAM g (n BIGINT, ts TIMESTAMP) FROM GENERATOR WITH (rows = 40000);
CREATE QUERY latest AS SELECT k, n FROM (SELECT n % 20000 AS k, n,
  ROW_NUMBER() OVER (PARTITION BY n % 20000 ORDER BY n DESC) AS rn FROM g) WHERE rn = 1;
SQL
"$SLUICE" run --db db q.sql >/dev/null 2>err.txt || { cat err.txt; fail "the run failed"; }
# Each key's latest row is its second, n = k + 20000.
[ "$(sqlite3 db 'SELECT count(*), sum(n = k + 20000) FROM latest')" = "20000|20000" ] ||
  fail "not each key's latest row"
read -r groups bytes < <(sqlite3 -separator ' ' db \
  'SELECT state_groups, state_bytes FROM _sluice_progress ORDER BY batch_id DESC LIMIT 1')
[ "$groups" = 20000 ] || fail "$groups groups, not 20000"
[ $((bytes / groups)) -ge 280 ] && [ $((bytes / groups)) -lt 320 ] ||
  fail "$((bytes / groups)) bytes counted a key, not the 293 expected"
echo "ok: a dedup over 20000 keys counts $((bytes / groups)) bytes a key"
echo "1 passed, 0 failed"
