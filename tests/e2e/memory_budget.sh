#!/usr/bin/env bash
# SET memory_limit (issue 17, "memory has a budget"): a query whose state
# passes the limit fails alone, with its groups and bytes, before the OOM
# killer would take the process; the other query runs to the end; the
# process's peak RSS stays near the limit; `run` exits 1. Started again with
# a higher limit, the failed query resumes at its last committed batch and
# ends with every group counted once. A bad size is refused with the default.
source "$(dirname "$0")/lib.bash"
cd "$WORK"
seq 1 300000 | awk '{printf "key%d,%d\n", $1, $1}' >big.csv
cat >q.sql <<'SQL'
SET memory_limit = '8 MB';
CREATE STREAM s (k TEXT, v INTEGER) FROM FILE 'big.csv' FORMAT CSV;
CREATE QUERY big AS SELECT k, COUNT(*) AS c FROM s GROUP BY k;
CREATE QUERY small AS SELECT COUNT(*) AS n, SUM(v) AS t FROM s;
SQL
rc=0
/usr/bin/time -f '%M' -o rss.txt "$SLUICE" run --db db q.sql >out.txt 2>err.txt || rc=$?
[ "$rc" = 1 ] || { cat err.txt; fail "exit code $rc, not 1"; }
sed -E 's/state of [0-9]+ groups \([0-9.]+ MB\)/state of N groups (X MB)/; s/with [0-9.]+ ([KMG]B|bytes) held/with Y bytes held/' err.txt |
  grep -x 'query big failed: its state of N groups (X MB) passed memory_limit (8.0 MB, with Y bytes held by the other queries); it stopped at its last committed batch: raise the limit (SET memory_limit = '"'...'"') and start it again, or bound its state (a WINDOW, fewer keys)' >/dev/null ||
  { cat err.txt; fail "not the expected message"; }
[ "$(sqlite3 db 'SELECT n, t FROM small')" = "300000|45000150000" ] || fail "the other query did not finish"
# The state is counted after each step, so the overshoot is one step's worth: well under 100 MB.
rss=$(tail -1 rss.txt)
# Under ASan freed memory sits in its quarantine, so RSS says nothing there.
case $(ldd "$SLUICE") in
  *libasan*) ;;
  *) [ "$rss" -lt 102400 ] || fail "peak RSS $rss KB" ;;
esac

sed 's/8 MB/1 GB/' q.sql >more.sql
"$SLUICE" run --db db more.sql >out2.txt 2>&1 || { cat out2.txt; fail "the run with a higher limit"; }
[ "$(sqlite3 db 'SELECT count(*), sum(c) FROM big')" = "300000|300000" ] || fail "the resumed query's groups"

echo "SET memory_limit = 'lots';" >bad.sql
if "$SLUICE" check bad.sql >got.txt 2>&1; then fail "a bad size was accepted"; fi
sed -i -E 's/here [0-9.]+ [KMGT]B/here D/' got.txt
diff - got.txt <<'OUT' || fail "not the expected message for a bad size"
bad.sql:1:20: error: memory_limit expects a size such as '2 GB'
    1 | SET memory_limit = 'lots';
      |                    ^~~~~~
hint: e.g. SET memory_limit = '2 GB' (units B, KB, MB, GB, TB); the default is half of physical memory, here D
OUT
echo "ok: the query past the budget failed alone (peak RSS $rss KB), resumed with a higher limit"
