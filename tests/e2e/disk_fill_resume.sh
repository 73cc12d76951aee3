#!/usr/bin/env bash
# The disk filled and freed again and again (issue 17): `sluice run` of an
# append-only query and a GROUP BY over a file, each run with room for a
# little more than what the database already holds, so that it fills up
# mid-run: exit code 1, the golden messages below, whole batches only in
# the tables. Then room is made (the disk "freed") and the next run resumes.
# After a last run with room enough, the tables equal an uninterrupted run's.
# Two ways to fill, without root:
# - a file size limit (ulimit -f): a write past it fails with EFBIG (sluice
#   ignores SIGXFSZ), which sluice reports as a write error;
# - a real full disk, where user namespaces allow it (unshare -Urm): the
#   database on a tmpfs of a set size (ENOSPC, SQLITE_FULL), remounted
#   larger to free it. Skipped, and said so, where they do not.
# Soak (tests/soak/run): (SOAK_SCALE + 1) / 2 times the input, SOAK_SCALE
# times the fills (at most KILL_MAX each way); reported as disk_fill_resume (the size limit) and
# disk_fill_resume_enospc, the fills as kills.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

rows=$((45000 * (${SOAK_SCALE:-1} + 1) / 2))
fills_max=$(soak_scale 6)
[ "$fills_max" -le "${KILL_MAX:-$fills_max}" ] || fills_max=$KILL_MAX
awk -v n="$rows" 'BEGIN { srand(11); for (i = 1; i <= n; i++)
  printf "%d,k%d,%d,some text to make the row longer %d\n", i, int(rand() * 3000), int(rand() * 1000), i }' >in.csv
cat >q.sql <<SQL
CREATE STREAM s (n INTEGER, k TEXT, v INTEGER, line TEXT) FROM FILE '$WORK/in.csv' FORMAT CSV;
CREATE QUERY kept AS SELECT n, k, v, line FROM s WHERE v % 4 <> 0 WITH (max_batch_bytes = 65536);
CREATE QUERY per_k AS SELECT k, count(*) AS c, sum(v) AS total, max(n) AS last_n FROM s GROUP BY k
  WITH (max_batch_bytes = 65536);
SQL
# tables DB [SQLITE...]: both result tables, ordered (read with SQLITE..., default sqlite3).
tables() {
  local db=$1; shift
  "${@:-sqlite3}" "$db" "SELECT n, k, v, line FROM kept ORDER BY n" "SELECT k, c, total, last_n FROM per_k ORDER BY k"
}
"$SLUICE" run --db ref.db q.sql >/dev/null 2>ref.err || { cat ref.err; fail "the uninterrupted run failed"; }
tables ref.db >want.txt
# Room for about twice fills_max fills over the whole run: a fill often
# takes more (a file size limit counts each file alone, and the WAL grows to
# it while a checkpoint cannot grow the database: a third of fills_max may
# be all that lands), and past fills_max the last run does the rest.
step=$(($(stat -c %s ref.db) / 1024 / (2 * fills_max + 2) + 64))

# messages FILE: what a run said, its progress lines aside, each line once; a
# statement's error without its place (and the statement's text quoted).
messages() {
  grep -Ev '^(stream s created|query (kept|per_k) (started|resumed at .*|restarted from the beginning of its input))$' "$1" |
    grep -Ev '^ +([0-9]+)? \| ' | sed -E -e "s|$WORK|W|g" -e 's/^sluice: (error|warning): //' \
      -e "s/^W\/q.sql:[1-3]:[0-9]+: error: (cannot save the definition|cannot create result table '(kept|per_k)'|cannot commit): /W\/q.sql: a statement failed: /" \
      -e 's/^query (kept|per_k) failed/query Q failed/' -e 's/batch [0-9]+ was not committed/batch N was not committed/' \
      -e 's/committed batch \([0-9]+\)/committed batch (M)/' | sort -u
}

# fill_and_free NAME DB ROOM RUN SQLITE...: up to fills_max times, ROOM gives
# the database room for `step` KiB more and RUN runs `sluice run` on DB, which
# must fill the room: exit code 1, only lines of NAME.golden (sorted), a query's failure
# among them; the tables (read with SQLITE...) hold whole batches only. Then
# ROOM big and RUN to the end: the tables equal the uninterrupted run's.
# Sets FILLS and STARTS.
fill_and_free() {
  local name=$1 db=$2 room=$3 run=$4 rc q
  shift 4
  FILLS=0
  STARTS=0
  while [ "$FILLS" -lt "$fills_max" ]; do
    $room "$step"
    rc=0
    STARTS=$((STARTS + 1))
    $run >/dev/null 2>err.txt || rc=$?
    cat err.txt >>"$name.err"
    [ "$rc" = 0 ] && break
    [ "$rc" = 1 ] || { cat err.txt; fail "$name: fill $((FILLS + 1)): exit code $rc, not 1"; }
    messages err.txt >msg.txt
    [ -z "$(comm -23 msg.txt "$name.golden")" ] && grep -Eq '^(query Q failed|W/q.sql: a statement failed)' msg.txt ||
      { cat err.txt; fail "$name: fill $((FILLS + 1)): not the golden messages"; }
    for q in kept per_k; do
      [ "$("$@" "$db" "SELECT count(*) = count(DISTINCT batch_id) FROM _sluice_progress WHERE query = '$q'")" = 1 ] ||
        fail "$name: fill $((FILLS + 1)): query $q committed a batch twice"
    done
    [ "$("$@" "$db" "SELECT (SELECT count(*) FROM kept) =
          (SELECT coalesce(sum(rows_out), 0) FROM _sluice_progress WHERE query = 'kept')")" = 1 ] ||
      fail "$name: fill $((FILLS + 1)): the table kept holds part of a batch"
    FILLS=$((FILLS + 1))
  done
  if [ "$rc" != 0 ]; then
    $room $((1 << 20))
    STARTS=$((STARTS + 1))
    $run >/dev/null 2>>"$name.err" || { tail "$name.err"; fail "$name: the run with room enough failed"; }
  fi
  [ "$FILLS" -ge $((fills_max / 3)) ] || fail "$name: only $FILLS of $fills_max fills landed before the input ended"
  tables "$db" "$@" >got.txt
  cmp -s want.txt got.txt ||
    { diff want.txt got.txt | head; fail "$name: after $FILLS fills the tables differ from the uninterrupted run"; }
  echo "ok: $name: $FILLS fills (room $step KiB more each time), each exit code 1 with the golden messages;" \
    "the tables ($(wc -l <got.txt) rows) equal the uninterrupted run"
}

# start_golden CAUSE: what a run says when the disk fills up before its
# statements are done (messages() names the statement's step: a definition
# saved, a result table created, a query's first commit).
start_golden() {
  echo "W/q.sql: a statement failed: $1"
  echo "hint: free some space (or fix the device) and run again: the query continues from its last committed batch"
}

# 1. A file size limit (in KiB, what ulimit -f counts) above the database's largest file.
{ start_golden "disk I/O error writing the database (is the disk full, or the file past its size limit?)"
  cat <<'TXT'
database 'db': a WAL checkpoint failed (disk I/O error); the next batches try again
query Q failed: batch N was not committed (cannot commit: disk I/O error writing the database (is the disk full, or the file past its size limit?)); its last committed batch (M) is intact: run the query again to continue from there
query Q failed: batch N was not committed (cannot commit: disk I/O error writing the database (is the disk full, or the file past its size limit?)); its start (no batch of it was committed) is intact: run the query again to continue from there
TXT
} | sort >limit.golden
limit_room() {
  local f largest=0
  for f in db db-wal; do [ -f "$f" ] && [ "$(stat -c %s "$f")" -gt "$largest" ] && largest=$(stat -c %s "$f"); done
  limit=$((largest / 1024 + $1))
}
limit_run() { (ulimit -f "$limit"; exec "$SLUICE" run --db db q.sql); }
fill_and_free limit db limit_room limit_run sqlite3
soak_report disk_fill_resume "$FILLS" "$STARTS" "$(wc -l <got.txt)"

# 2. A full tmpfs in a mount namespace of our own, kept by a sleeping process
# (a tmpfs lives as long as its namespace); sluice and sqlite3 run inside it.
if ! unshare -Urm true 2>/dev/null; then
  echo "skipped: a real full disk (no user namespaces here: unshare -Urm failed)"
  echo "1 passed, 0 failed"
  exit 0
fi
mkdir disk
unshare -Urm sleep 3600 &
ns_pid=$!
BG_PIDS+=("$ns_pid")
ns() { nsenter -t "$ns_pid" -U -m --preserve-credentials "$@"; }
for _ in $(seq 100); do [ "$(readlink /proc/$ns_pid/ns/mnt)" != "$(readlink /proc/self/ns/mnt)" ] && break; sleep 0.02; done
ns mount -t tmpfs -o size=1m tmpfs "$WORK/disk" || fail "cannot mount a tmpfs in the namespace"
{ start_golden "database or disk is full"
  cat <<'TXT'
database 'W/disk/db': a WAL checkpoint failed (database or disk is full); the next batches try again
query Q failed: the disk is full: batch N was not committed (cannot commit: database or disk is full); free some space and run the query again: it continues from its last committed batch (M)
query Q failed: the disk is full: batch N was not committed (cannot commit: database or disk is full); free some space and run the query again: it continues from its start (no batch of it was committed)
TXT
} | sort >disk.golden
disk_room() {
  local used
  used=$(ns df -k --output=used "$WORK/disk" | tail -1)
  ns mount -o remount,size=$((used + $1))k "$WORK/disk" || fail "cannot make the tmpfs larger"
}
disk_run() { ns "$SLUICE" run --db "$WORK/disk/db" "$WORK/q.sql"; }
fill_and_free disk "$WORK/disk/db" disk_room disk_run ns sqlite3
soak_report disk_fill_resume_enospc "$FILLS" "$STARTS" "$(wc -l <got.txt)"
echo "2 passed, 0 failed"
