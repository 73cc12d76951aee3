#!/usr/bin/env bash
# A push stream's dead letters are kept once, however many queries read its
# log: the ingest decodes each record as it logs it and writes the letters
# of those it cannot decode in the same transaction (ingest_letters.h), so
# three queries over a logged STDIN stream with N bad records leave exactly
# N letters, naming the stream, each query's progress counting N; and
# after kill -9 at random moments and restarts, letters are neither lost
# nor doubled: as many as each query counted, each record once.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

cat >q.sql <<'SQL'
CREATE STREAM s (n INTEGER) FROM STDIN FORMAT CSV WITH (log = true);
CREATE QUERY total AS SELECT count(*) AS c, sum(n) AS t FROM s;
CREATE QUERY evens AS SELECT count(*) AS c FROM s WHERE n % 2 = 0;
CREATE QUERY listed AS SELECT n FROM s TRIGGER EVERY 20 MILLISECONDS;
SQL
# lines FROM TO: the numbers, every 100th followed by a bad record naming it.
lines() { seq "$1" "$2" | awk '{ print } $1 % 100 == 0 { print "bad-" $1 }'; }
letters() { sqlite3 db "SELECT count(*) || '|' || count(DISTINCT record) || '|' ||
                        count(*) FILTER (WHERE stream = 's' AND query IS NULL)
                        FROM _sluice_dead_letters"; }
counted() { sqlite3 db "SELECT group_concat(n, ',') FROM (SELECT sum(dead_letters) AS n
                        FROM _sluice_progress GROUP BY query ORDER BY query)"; }

lines 1 3000 | "$SLUICE" run --db db q.sql 2>err.txt || { cat err.txt; fail "first run"; }
[ "$(letters)" = "30|30|30" ] || fail "letters (all|distinct|of the stream): $(letters), want 30|30|30"
[ "$(counted)" = "30,30,30" ] || fail "each query's progress counts $(counted), want 30 each"
"$SLUICE" run --db db q.sql </dev/null 2>err.txt || { cat err.txt; fail "second run"; }
[ "$(letters)" = "30|30|30" ] || fail "after a run again: $(letters)"
echo "ok: three queries, 30 bad records, 30 dead letters naming the stream"

# Paced input, killed with SIGKILL while the queries read the log.
kills=0
for round in 1 2 3; do
  from=$((3000 + (round - 1) * 4000 + 1))
  { for k in $(seq 0 19); do lines $((from + k * 200)) $((from + k * 200 + 199)); sleep 0.02; done; } |
    "$SLUICE" run --db db q.sql 2>>err.txt &
  pid=$!
  sleep "0.$((RANDOM % 4 + 2))"
  kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
  wait "$pid" 2>/dev/null || true
done
"$SLUICE" run --db db q.sql </dev/null 2>>err.txt || { tail err.txt; fail "the last run"; }
IFS='|' read -r all distinct own < <(letters)
[ "$all" = "$distinct" ] || fail "a dead letter doubled after $kills kills: $all letters, $distinct records"
[ "$all" = "$own" ] || fail "letters not the stream's: $(letters)"
[ "$(counted)" = "$all,$all,$all" ] || fail "after $kills kills: $all letters, the queries count $(counted)"
# A bad record follows every 100th number: as many letters as such numbers
# were logged, less at most one a kill (cut off between the two).
want=$(sqlite3 db "SELECT count(*) FROM listed WHERE n % 100 = 0")
[ "$all" -le "$want" ] && [ "$all" -ge $((want - kills)) ] ||
  fail "after $kills kills: $all letters for $want logged records followed by a bad one"
[ "$(sqlite3 db 'SELECT count(*) = count(DISTINCT n) FROM listed')" = 1 ] || fail "a row doubled"
echo "ok: $kills kills, $all dead letters, each once, as many as each query counted"
echo "2 passed, 0 failed"
