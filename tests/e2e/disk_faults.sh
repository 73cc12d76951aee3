#!/usr/bin/env bash
# Disks and permissions (issue 17): each fault gives one clear message and
# exit code 1, never a crash or a half-written table (golden text below).
# - A write past the file size limit (ulimit -f, the disk-full path: write()
#   fails, the process is not killed by SIGXFSZ): the batch is not
#   committed, the table holds whole batches only, and a run without the
#   limit ends exactly.
# - A file that is not a database; a database of a newer schema.
# - A directory that is not writable (no database yet, or one whose -wal
#   cannot be created), a database file that is not writable: as an
#   unprivileged user (nobody, through setpriv, when the test runs as root).
#   A directory that is not writable fails first at the owner's claim file
#   (db-owner, beside the database).
source "$(dirname "$0")/lib.bash"
cd "$WORK"
chmod 755 "$WORK"
seq 1 200000 | awk '{printf "k%d,%d\n", $1 % 5000, $1}' >in.csv
cat >q.sql <<SQL
CREATE STREAM s (k TEXT, v INTEGER) FROM FILE '$WORK/in.csv' FORMAT CSV;
CREATE QUERY q AS SELECT k, v FROM s WITH (max_batch_bytes = 200000);
SQL
normalize() { sed -e "s|$WORK|W|g" -e 's/batch [0-9]* was not committed/batch N was not committed/' \
                  -e 's/its last committed batch ([0-9]*)/its last committed batch (M)/'; }

rc=0
(ulimit -f 3000; exec "$SLUICE" run --db full.db q.sql) >out.txt 2>err.txt || rc=$?
[ "$rc" = 1 ] || { cat err.txt; fail "past the size limit: exit code $rc, not 1"; }
grep 'query q failed' err.txt | tail -1 | normalize | grep -q "^query q failed: batch N was not committed (cannot commit: disk I/O error writing the database (is the disk full, or the file past its size limit?)); " ||
  { cat err.txt; fail "not the expected message past the size limit"; }
[ "$(sqlite3 full.db 'SELECT count(*) FROM q')" = "$(sqlite3 full.db 'SELECT coalesce(sum(rows_out), 0) FROM _sluice_progress')" ] ||
  fail "the table holds part of a batch"
"$SLUICE" run --db full.db q.sql >/dev/null 2>&1 || fail "the run after the limit was lifted"
[ "$(sqlite3 full.db 'SELECT count(*), count(DISTINCT v), sum(v) FROM q')" = "200000|200000|20000100000" ] ||
  fail "the resumed table is not exact"

echo "not a database, only text" >notdb
if "$SLUICE" run --db notdb q.sql >/dev/null 2>got.txt; then fail "a file that is not a database was opened"; fi
normalize <got.txt | diff - <(echo "sluice: cannot open database 'notdb': file is not a database") ||
  fail "not the expected message for a file that is not a database"
cp full.db newer.db && rm -f full.db-wal full.db-shm
sqlite3 newer.db 'PRAGMA user_version = 99'
if "$SLUICE" run --db newer.db q.sql >/dev/null 2>got.txt; then fail "a newer database was opened"; fi
normalize <got.txt | diff - <(echo "sluice: cannot open database 'newer.db': its schema version is 99, and this sluice knows up to 6: open it with the sluice that wrote it, or a newer one") ||
  fail "not the expected message for a newer database"

# A directory that is not there: said so, with what to do.
if "$SLUICE" run --db "$WORK/nowhere/db" q.sql >/dev/null 2>got.txt; then fail "a database was opened in a missing directory"; fi
normalize <got.txt | diff - <(cat <<'OUT'
sluice: cannot open database 'W/nowhere/db': its directory 'W/nowhere' does not exist
hint: make the directory first (mkdir -p), or give --db a path in one that exists
OUT
) || fail "not the expected message for a missing directory"
[ ! -e nowhere ] || fail "the missing directory was made"

# As an unprivileged user: root writes whatever the permissions say. The
# binary is copied where the user can run it (the build tree may be private).
cp "$SLUICE" "$WORK/sluice"
as_user() { if [ "$(id -u)" = 0 ]; then setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; else "$@"; fi; }
mkdir ro rw
chmod 555 ro
chmod 777 rw
cp q.sql in.csv rw/
chmod 644 q.sql in.csv
if as_user "$WORK/sluice" run --db "$WORK/ro/db" q.sql >/dev/null 2>got.txt; then fail "a database was made in a read-only directory"; fi
as_user "$WORK/sluice" run --db "$WORK/rw/db" q.sql >/dev/null 2>&1 || fail "the run in a writable directory"
as_user sqlite3 "$WORK/rw/db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
rm -f rw/db-wal rw/db-shm
chmod 555 rw
if as_user "$WORK/sluice" run --db "$WORK/rw/db" q.sql >/dev/null 2>>got.txt; then fail "a database without room for its -wal was opened"; fi
chmod 777 rw
chmod 444 rw/db
if as_user "$WORK/sluice" run --db "$WORK/rw/db" q.sql >/dev/null 2>>got.txt; then fail "a read-only database was written"; fi
normalize <got.txt | diff - <(cat <<'OUT'
sluice: cannot create database 'W/ro/db': cannot create W/ro/db-owner: Permission denied
hint: give --db a path in a directory this user can write
sluice: cannot claim database 'W/rw/db': cannot create W/rw/db-owner: Permission denied
hint: sluice --readonly opens it without writing
sluice: cannot open database 'W/rw/db': the file is not writable (Permission denied): sluice --readonly reads it
OUT
) || fail "not the expected messages for permissions"
[ "$(as_user "$WORK/sluice" --readonly --db "$WORK/rw/db" -c 'SELECT count(*) FROM q')" = 200000 ] ||
  fail "--readonly does not read the read-only database"
echo "ok: size limit, not a database, newer schema, a missing directory and permissions each gave their message"
