#!/usr/bin/env bash
# CREATE STREAM ... AS SELECT chains: filter stream -> windowed aggregate
# stream (EMIT FINAL, event time carried as window_end) -> threshold alert
# query, over a file. The alerts equal the single SQLite batch query
# computing the same; run again, nothing changes; and the same chain killed
# with SIGKILL at random moments and restarted (20 times) ends equal too:
# each stream's rows are written in the same transaction as its query's
# batch, and each reader's place in a log with its own.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

# A soak's kills need 96,000 events a SOAK_SCALE (more only lengthen its
# runs to the end); its input may run into the next days.
events=$(soak_scale 96000)
[ "$events" -ge 240000 ] || events=240000
python3 - "$events" <<'PY'
import random, sys
random.seed(3)
with open("events.csv", "w") as f:
    for i in range(int(sys.argv[1])):
        f.write("u%d,%d,2026-01-%02d %02d:%02d:%02d.%03d\n" % (
            random.randrange(20), random.randrange(-50, 200), 1 + i // 60000 // 24, i // 60000 % 24,
            i // 1000 % 60, i // 17 % 60, i % 1000))
PY

cat >chain.sql <<'SQL'
CREATE STREAM events (u TEXT, v INTEGER, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)
  FROM FILE 'events.csv' FORMAT CSV;
CREATE STREAM clean AS SELECT u, v, ts FROM events WHERE v >= 0 WITH (max_batch_bytes = 8192);
CREATE STREAM per_minute AS SELECT window_start, window_end, u, count(*) AS n, sum(v) AS total
  FROM clean GROUP BY u WINDOW TUMBLING (SIZE 1 MINUTE) EMIT FINAL;
CREATE QUERY alerts AS SELECT window_start, u, n, total FROM per_minute WHERE total > 4300;
SQL

# The same computed by SQLite over the whole file at once (late rows: none,
# the file is in event-time order but for milliseconds within a second).
sqlite3 oracle.db "CREATE TABLE e (u TEXT, v INTEGER, ts TEXT)" ".import --csv events.csv e"
oracle=$(sqlite3 oracle.db "SELECT substr(ts, 1, 16) || ':00.000000', u, count(*), sum(v) FROM e
                            WHERE v >= 0 GROUP BY 1, 2 HAVING sum(v) > 4300 ORDER BY 1, 2")
[ "$(echo "$oracle" | wc -l)" -gt 20 ] || fail "the oracle has too few alerts to test with"
alerts() { sqlite3 "$1" 'SELECT window_start, u, n, total FROM alerts ORDER BY 1, 2'; }

"$SLUICE" run --db db chain.sql 2>err.txt || { cat err.txt; fail "the chain failed"; }
[ "$(alerts db)" = "$oracle" ] || { diff <(alerts db) <(echo "$oracle") | head; fail "alerts differ from SQLite's"; }
[ "$(sqlite3 db "SELECT sum(late_rows) FROM _sluice_progress")" = 0 ] || fail "late rows in the chain"
[ "$(sqlite3 db 'SELECT count(*) FROM _sluice_log')" = 0 ] || fail "the logs were not trimmed"
grep -q "stream clean created" err.txt || fail "notice: $(cat err.txt)"

# Run again: everything resumes at its end, nothing is added.
"$SLUICE" run --db db chain.sql 2>err.txt || { cat err.txt; fail "the second run failed"; }
[ "$(alerts db)" = "$oracle" ] || fail "alerts changed on the second run"

# SHOW STREAMS and SHOW QUERIES tell what writes the streams; a stream's query
# is dropped with its stream only.
printf 'SHOW STREAMS;\nSHOW QUERIES;\nDROP QUERY clean;\n' | "$SLUICE" --db db >show.txt 2>&1 || true
grep -q "clean.*QUERY clean.*JSON" show.txt || fail "SHOW STREAMS: $(cat show.txt)"
grep -q "CREATE STREAM clean AS SELECT" show.txt || fail "SHOW QUERIES: $(cat show.txt)"
grep -q "query clean writes stream clean" show.txt || fail "DROP QUERY of a stream's query: $(cat show.txt)"

# Killed with SIGKILL at random moments and restarted: the same alerts.
kill_and_restart kdb chain.sql
[ "$KILLS" -ge 5 ] || fail "only $KILLS kills landed"
[ "$(alerts kdb)" = "$oracle" ] || { diff <(alerts kdb) <(echo "$oracle") | head; fail "alerts differ after $KILLS kills"; }
soak_report chain_streams "$KILLS" "$RESTARTS" "$(echo "$oracle" | wc -l)"
echo "1 passed, 0 failed (after $KILLS kills)"
