#!/usr/bin/env bash
# A FORMAT JSON query over a file, killed with SIGKILL at random moments and
# started again each time, counts every good line once and keeps every bad
# line's dead letter once: the checkpoint is the offset of the first record
# not yet decoded (the source's offset minus the decoder's pending bytes), so a
# record cut by a read is read again whole after a restart.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

rows=$(soak_scale 500000)
python3 - "$rows" <<'PY'
import sys
with open('ev.ndjson', 'w') as f:
    for i in range(1, int(sys.argv[1]) + 1):
        if i % 1000 == 0:
            f.write('{"n": "not a number", "pad": "%s"}\n' % ('x' * (i % 50)))
        else:
            f.write('{"n": %d, "line": {"text": "row %d with some text to make the file larger"}}\n' % (i, i))
PY
cat >q.sql <<'SQL'
CREATE STREAM ev (n BIGINT, line TEXT PATH '$.line.text') FROM FILE 'ev.ndjson' FORMAT JSON;
CREATE QUERY kept AS SELECT n, length(line) AS len FROM ev WHERE n % 3 <> 0
  TRIGGER EVERY 50 MILLISECONDS WITH (max_batch_bytes = 8192);
SQL
# n in 1..rows but the multiples of 1000 (dead letters) and of 3 (filtered).
want=$(python3 -c 'import sys; rows = int(sys.argv[1]); ns = [i for i in range(1, rows + 1) if i % 1000 and i % 3]
print(f"{len(ns)}|{len(ns)}|{sum(ns)}|{rows // 1000}|{rows // 1000}")' "$rows")
got() {
  sqlite3 db "SELECT (SELECT count(*) || '|' || count(DISTINCT n) || '|' || sum(n) FROM kept)
    || '|' || (SELECT count(*) || '|' || count(DISTINCT offset) FROM _sluice_dead_letters)"
}

kill_and_restart db q.sql
[ "$(got)" = "$want" ] || { tail -20 err.txt; fail "after $KILLS kills: $(got), want $want"; }
[ "$KILLS" -ge 5 ] || { tail -20 err.txt; fail "only $KILLS kills landed before the input was read"; }
grep -q "resumed at byte" out.txt err.txt || { cat out.txt; fail "the last run did not say it resumed"; }
echo "ok: $KILLS kills, every row and every dead letter once"
soak_report json_resume "$KILLS" "$RESTARTS" "$(($(sqlite3 db 'SELECT count(*) FROM kept') + rows / 1000))"
echo "1 passed, 0 failed"
