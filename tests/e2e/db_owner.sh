#!/usr/bin/env bash
# One owner per database: two `sluice run` started together on one database
# used to both run (duplicated rows, both exit 0). Now the second refuses,
# naming the first's pid and host; the shell is an owner too; readers
# (sqlite3, sluice --readonly) are welcome; a claim left by kill -9 is taken
# over; one written on another host only once it is no longer renewed.
source "$(dirname "$0")/lib.bash"
cd "$WORK"
host=$(hostname)

seq 1 3000 | sed 's/^/k,/' >in.csv
cat >q.sql <<'SQL'
CREATE STREAM s (k TEXT, v BIGINT) FROM FILE 'in.csv' FORMAT CSV WITH (follow = true);
CREATE QUERY p AS SELECT k, v FROM s WHERE v > 1000 TRIGGER EVERY 50 MILLISECONDS;
SQL

# expect_refused PID SINCE_FROM FILE: FILE holds exactly the refusal naming PID.
expect_refused() {
  local since
  since=$(sed -n 's/^since //p' db-owner)
  printf "sluice: database 'db' is in use by another sluice: pid %s on host %s, since %s\n%s\n" \
    "$1" "$host" "$since" \
    'hint: stop that one first; sqlite3 and `sluice --readonly` can read the database meanwhile' \
    >expected.txt
  diff expected.txt "$2" || fail "not the refusal expected"
}

wait_rows() {
  for _ in $(seq 300); do
    [ "$(sqlite3 db 'SELECT count(*) FROM p' 2>/dev/null || echo 0)" -ge "$1" ] && return 0
    sleep 0.05
  done
  fail "the first run never wrote $1 rows"
}

# Two runs started together: exactly one runs, the other refuses.
"$SLUICE" run --db db q.sql >/dev/null 2>a.err &
a=$!
BG_PIDS+=("$a")
"$SLUICE" run --db db q.sql >/dev/null 2>b.err &
b=$!
BG_PIDS+=("$b")
for _ in $(seq 200); do
  ! kill -0 "$a" 2>/dev/null || ! kill -0 "$b" 2>/dev/null && break
  sleep 0.05
done
if kill -0 "$a" 2>/dev/null; then owner=$a loser=$b; err=b.err; else owner=$b loser=$a; err=a.err; fi
rc=0
wait "$loser" || rc=$?
[ "$rc" = 1 ] || fail "the second run exited $rc, not 1"
kill -0 "$owner" 2>/dev/null || fail "neither run is running"
wait_rows 2000
expect_refused "$owner" "$err"
echo "ok: of two runs started together, one refused"

# The shell is an owner too; readers are welcome.
rc=0
"$SLUICE" --db db -c 'SHOW STREAMS' >/dev/null 2>shell.err || rc=$?
[ "$rc" = 1 ] || fail "the shell on an owned database exited $rc, not 1"
expect_refused "$owner" shell.err
"$SLUICE" --readonly --db db -c 'SELECT count(*) AS n FROM p' >ro.out 2>ro.err ||
  { cat ro.err; fail "sluice --readonly was refused"; }
[ "$(tail -n 1 ro.out)" = 2000 ] || { cat ro.out; fail "sluice --readonly read no rows"; }
[ "$(sqlite3 db 'SELECT count(*) FROM p')" = 2000 ] || fail "sqlite3 read no rows"
echo "ok: the shell is refused, readers are welcome"

# kill -9 leaves the claim file: the next run takes it over and resumes exactly.
kill -9 "$owner"
wait "$owner" 2>/dev/null || true
[ -s db-owner ] || fail "kill -9 left no claim: the test proves nothing"
seq 3001 4000 | sed 's/^/k,/' >>in.csv
"$SLUICE" run --db db q.sql >/dev/null 2>c.err &
c=$!
BG_PIDS+=("$c")
wait_rows 3000
grep -q "^sluice: warning: database 'db': pid $owner on host $host (since .*) held it and ended without letting go (killed?): this process takes it over$" c.err ||
  { cat c.err; fail "no warning on taking over a stale claim"; }
[ "$(sqlite3 db 'SELECT count(*), count(DISTINCT v) FROM p')" = "3000|3000" ] ||
  fail "rows lost or duplicated across the take-over"
kill -TERM "$c"
wait "$c" || fail "the run that took over did not stop cleanly"
[ ! -e db-owner ] || fail "a clean stop left its claim"
echo "ok: a claim left by kill -9 is taken over, the rows exact"

# An interactive shell holds the claim while it runs.
mkfifo shell.in
"$SLUICE" --db db <shell.in >/dev/null 2>&1 &
shell=$!
BG_PIDS+=("$shell")
exec 3>shell.in
for _ in $(seq 200); do [ -s db-owner ] && break; sleep 0.05; done
rc=0
"$SLUICE" run --db db >/dev/null 2>d.err || rc=$?
[ "$rc" = 1 ] || fail "sluice run beside the shell exited $rc, not 1"
expect_refused "$shell" d.err
kill -TERM "$shell"
wait "$shell" || true
exec 3>&-
echo "ok: a run beside the shell is refused, naming the shell"

# A claim written on another host: refused while renewed, taken over once it is not.
printf 'pid 4242\nhost elsewhere\nsince 2026-01-01 00:00:00 UTC\n' >db-owner
rc=0
"$SLUICE" run --db db >/dev/null 2>e.err || rc=$?
[ "$rc" = 1 ] || fail "a fresh claim from another host was not refused"
cat >expected.txt <<'TXT'
sluice: database 'db' is in use by another sluice: pid 4242 on host elsewhere, since 2026-01-01 00:00:00 UTC (renewed 0s ago; from here Sluice cannot tell whether it still runs: a claim not renewed for 60s is taken over)
hint: stop that one first; sqlite3 and `sluice --readonly` can read the database meanwhile
TXT
sed -i 's/renewed [0-9]s ago/renewed 0s ago/' e.err
diff expected.txt e.err || fail "not the refusal expected for another host's claim"
touch -d '2 minutes ago' db-owner
"$SLUICE" run --db db >/dev/null 2>f.err &
f=$!
BG_PIDS+=("$f")
for _ in $(seq 100); do grep -q "^pid $f$" db-owner 2>/dev/null && break; sleep 0.05; done
grep -q "pid 4242 on host elsewhere (since 2026-01-01 00:00:00 UTC) held it and ended" f.err ||
  { cat f.err; fail "another host's stale claim was not taken over"; }
kill -TERM "$f"
wait "$f" || fail "the run did not stop cleanly"
echo "ok: another host's claim is refused while renewed, taken over after"
echo "5 passed, 0 failed"
