#!/usr/bin/env bash
# A FILE stream (without follow) resumes only in the file it read. A file
# replaced by another that begins with the same bytes (`cp v2.csv data.new
# && mv data.new data.csv`: a new inode) used to be resumed at the old
# offset, giving results that matched neither file; now it is refused,
# saying what to do. So is a checkpoint that points into the middle of a
# line, and one whose hash of no bytes is wrong (it said "its first 0 bytes
# are not the ones read before").
source "$(dirname "$0")/lib.bash"
cd "$WORK"

for i in $(seq 0 999); do echo "k$((i % 7)),$i"; done >v1.csv
{ head -n 700 v1.csv; for i in $(seq 700 1499); do echo "z$((i % 5)),$((i * 3))"; done; } >v2.csv
cp v1.csv data.csv
mkdir kept
cat >q.sql <<'SQL'
CREATE STREAM s (k TEXT, v BIGINT) FROM FILE 'data.csv' FORMAT CSV;
CREATE QUERY q AS SELECT k, count(*) AS n, sum(v) AS t FROM s GROUP BY k;
SQL
"$SLUICE" run --db db q.sql >/dev/null 2>err.txt || { cat err.txt; fail "the first run failed"; }
before=$(sqlite3 db 'SELECT k, n, t FROM q ORDER BY k')
old_ino=$(stat -c %i data.csv)

ln data.csv kept/data.csv # the file read, elsewhere, to put it back later
cp v2.csv data.new && mv data.new data.csv
new_ino=$(stat -c %i data.csv)
rc=0
"$SLUICE" run --db db >/dev/null 2>err.txt || rc=$?
[ "$rc" = 1 ] || { cat err.txt; fail "a replaced file was resumed (exit $rc)"; }
cat >expected.txt <<TXT
<saved query q>:1:61: error: file:data.csv was replaced: it is another file (inode $new_ino, the one read was inode $old_ino), so where the query stopped in it is unknown (6890 bytes of the old one had been read)
hint: put the file that was read back in its place to resume
    1 | CREATE QUERY q AS SELECT k, count(*) AS n, sum(v) AS t FROM s GROUP BY k
      |                                                             ^
hint: the query is saved in this database and continues from its last batch; CREATE OR REPLACE QUERY starts it over on its input as it is now
TXT
diff expected.txt err.txt || fail "not the message expected for a replaced file"
[ "$(sqlite3 db 'SELECT k, n, t FROM q ORDER BY k')" = "$before" ] || fail "the refused run changed the results"
echo "ok: a replaced file with the same first bytes is refused"

# The file that was read, put back (its inode): resumed, with nothing new to read.
mv kept/data.csv data.csv
"$SLUICE" run --db db >/dev/null 2>err.txt || { cat err.txt; fail "the file put back was refused"; }
grep -q "query q resumed at byte 6890" err.txt || { cat err.txt; fail "the file put back was not resumed"; }
[ "$(sqlite3 db 'SELECT k, n, t FROM q ORDER BY k')" = "$before" ] || fail "the results moved"
echo "ok: the file put back resumes"

# A checkpoint whose offset is in the middle of a line (hand-edited, corrupt;
# its checksum NULL as a version before checksums wrote it, so that the
# file's own check is what refuses it).
sqlite3 db "UPDATE _sluice_checkpoints SET identity = replace(identity, ' 6890 4096:', ' 6885 4096:'), \"offset\" = 6885, checksum = NULL"
rc=0
"$SLUICE" run --db db >/dev/null 2>err.txt || rc=$?
[ "$rc" = 1 ] || { cat err.txt; fail "a checkpoint in the middle of a line was accepted"; }
grep -qx "<saved query q>:1:61: error: file:data.csv: the checkpoint puts the query at byte 6885, in the middle of a line (the byte before it is not a newline): the checkpoint is corrupt or the file was rewritten" err.txt ||
  { cat err.txt; fail "not the message expected for a checkpoint mid-line"; }
echo "ok: a checkpoint in the middle of a line is refused"

# A checkpoint that hashes no bytes to something else.
sqlite3 db "UPDATE _sluice_checkpoints SET identity = 'files 1' || char(10) || 'file $old_ino 0 0:00000000000000ff - data.csv' || char(10), \"offset\" = 0, checksum = NULL"
rc=0
"$SLUICE" run --db db >/dev/null 2>err.txt || rc=$?
[ "$rc" = 1 ] || { cat err.txt; fail "a corrupt hash of no bytes was accepted"; }
grep -qx "<saved query q>:1:61: error: file:data.csv: the checkpoint's hash of no bytes is wrong: the checkpoint is corrupt" err.txt ||
  { cat err.txt; fail "not the message expected for a corrupt empty hash"; }
echo "ok: a corrupt hash of no bytes says so"
echo "4 passed, 0 failed"
