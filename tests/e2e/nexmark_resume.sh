#!/usr/bin/env bash
# A GROUP BY over a NEXMARK stream, killed with SIGKILL at random moments and
# started again each time, ends with exactly the table an uninterrupted run
# writes: the stream resumes at its checkpoint's byte offset (rows times the
# kind's record width), out-of-order groups included.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

events=$(soak_scale 3000000)
cat >q.sql <<SQL
CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel TEXT, url TEXT,
                   date_time TIMESTAMP, extra TEXT)
  FROM NEXMARK WITH (kind = 'bid', events = $events, seed = 5, out_of_order = 50);
CREATE QUERY per_auction AS
  SELECT auction % 10 AS k, COUNT(*) AS n, SUM(price) AS total, MIN(date_time) AS first,
         MAX(date_time) AS last, SUM(bidder) AS bidders
  FROM bid GROUP BY auction % 10
  TRIGGER EVERY 50 MILLISECONDS WITH (max_batch_bytes = 262144);
SQL
"$SLUICE" run --db clean.db q.sql >/dev/null 2>err.txt || { cat err.txt; fail "the clean run failed"; }
want=$(sqlite3 clean.db "SELECT * FROM per_auction ORDER BY k")
[ "$(sqlite3 clean.db "SELECT sum(n) FROM per_auction")" = $((events / 100 * 92)) ] || fail "the clean run lost rows"

kill_and_restart db q.sql
[ "$KILLS" -ge 3 ] || { tail -20 err.txt; fail "only $KILLS kills landed before the events ran out"; }
got=$(sqlite3 db "SELECT * FROM per_auction ORDER BY k")
[ "$got" = "$want" ] || { tail -20 err.txt; fail "after $KILLS kills: $got, want $want"; }
grep -q "resumed at byte" out.txt err.txt || { cat out.txt; fail "the last run did not say it resumed"; }
echo "ok: $KILLS kills, every event once"
soak_report nexmark_resume "$KILLS" "$RESTARTS" "$(sqlite3 db 'SELECT count(*) FROM per_auction')"
echo "1 passed, 0 failed"
