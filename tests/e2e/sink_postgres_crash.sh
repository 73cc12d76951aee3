#!/usr/bin/env bash
# The POSTGRES sink across kill -9: `sluice run` is killed up to ten times
# (at least five: a fast machine reads the input in fewer runs) while
# its sinks deliver (each kill lands just after PostgreSQL took a batch of
# that run) and started again; after the last run the GROUP BY's table in
# PostgreSQL equals SQLite's, and an append-only query's table holds each
# row exactly once: a batch delivered again after a kill (PostgreSQL
# committed it, Sluice's outbox had not yet said so) changed nothing.
source "$(dirname "$0")/postgres.bash"
cd "$WORK"

awk 'BEGIN { srand(7); for (i = 0; i < 100000; i++)
  printf "%d,%d,row %d\n", int(rand() * 5000), int(rand() * 1000), i }' >ev.csv
cat >q.sql <<SQL
CREATE STREAM ev (u INTEGER, amount INTEGER, tag TEXT) FROM FILE 'ev.csv' FORMAT CSV;
CREATE QUERY per_user AS SELECT u, count(*) AS n, sum(amount) AS total, max(tag) AS top_tag
  FROM ev GROUP BY u EMIT CHANGES
  TRIGGER EVERY 50 MILLISECONDS WITH (max_batch_bytes = 16384);
CREATE QUERY cheap AS SELECT u, amount, tag FROM ev WHERE amount < 50
  TRIGGER EVERY 50 MILLISECONDS WITH (max_batch_bytes = 16384);
CREATE SINK to_pg FROM per_user INTO POSTGRES '$PG_CONNINFO' TABLE 'per_user';
CREATE SINK cheap_pg FROM cheap INTO POSTGRES '$PG_CONNINFO' TABLE 'cheap';
SQL

delivered() { pg_sql "SELECT coalesce(sum(batch_id), 0) FROM sluice_sink_progress" 2>/dev/null || echo 0; }
kills=0
for _ in $(seq 60); do
  before=$(delivered)
  "$SLUICE" run --db db q.sql >/dev/null 2>>err.txt &
  pid=$!
  for _ in $(seq 1000); do
    [ "$(delivered)" -gt "$before" ] || ! kill -0 $pid 2>/dev/null && break
    sleep 0.02
  done
  sleep "$(printf "0.%03d" $((RANDOM % 100)))"
  if kill -9 $pid 2>/dev/null; then
    wait $pid 2>/dev/null || true
    kills=$((kills + 1))
    [ $kills -ge 10 ] && break
  else
    wait $pid || { cat err.txt; fail "sluice run failed after $kills kills"; }
    break
  fi
done
[ $kills -ge 5 ] || fail "only $kills kills landed before the input was read"
"$SLUICE" run --db db q.sql >out.txt 2>>err.txt || { cat err.txt; fail "the last run failed"; }

sqlite3 db "SELECT u, n, total, top_tag FROM per_user ORDER BY u" >want.txt
pg_sql "SELECT u, n, total, top_tag FROM per_user ORDER BY u" >got.txt
[ "$(wc -l <want.txt)" -gt 4900 ] || fail "SQLite's per_user has $(wc -l <want.txt) rows"
diff want.txt got.txt >diff.txt || { head diff.txt; fail "after $kills kills per_user differs"; }

sqlite3 oracle.db "CREATE TABLE ev(u INTEGER, amount INTEGER, tag TEXT)" ".import --csv ev.csv ev"
sqlite3 oracle.db "SELECT u, amount, tag FROM ev WHERE amount < 50 ORDER BY tag" >want_cheap.txt
pg_sql "SELECT u, amount, tag FROM cheap ORDER BY tag COLLATE \"C\"" >got_cheap.txt
[ "$(wc -l <got_cheap.txt)" = "$(wc -l <want_cheap.txt)" ] ||
  fail "after $kills kills cheap holds $(wc -l <got_cheap.txt) rows, not $(wc -l <want_cheap.txt)"
diff want_cheap.txt got_cheap.txt >diff.txt || { head diff.txt; fail "after $kills kills cheap differs"; }
[ "$(sqlite3 db 'SELECT count(*) FROM _sluice_outbox')" = 0 ] || fail "the outbox was not emptied"
echo "ok: $kills kills; per_user ($(wc -l <got.txt) rows) and cheap ($(wc -l <got_cheap.txt) rows, none twice) equal"
echo "1 passed, 0 failed"
