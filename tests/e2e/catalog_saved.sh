#!/usr/bin/env bash
# Saved queries that do not run in this process (issue 15): DROP STREAM refuses
# a stream a saved query reads, naming it, and DROP STREAM ... CASCADE drops the
# query too; SHOW QUERIES lists every saved query with its status (STOPPED when
# it does not run here, FAILED with the error when it could not start, PAUSED); a saved
# query that cannot start does not keep the others from resuming.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

printf 'a b\nb\n' >in.txt
cat >q.sql <<'SQL'
CREATE STREAM lines (line TEXT) FROM FILE 'in.txt' FORMAT TEXT;
CREATE QUERY wc AS SELECT word, count(*) AS n FROM lines, UNNEST(split(line, ' ')) AS word GROUP BY word;
CREATE STREAM other (line TEXT) FROM FILE 'in.txt' FORMAT TEXT;
CREATE QUERY copy AS SELECT line FROM other;
SQL
"$SLUICE" run --db db q.sql 2>/dev/null || fail "the first run"

# A run of another script: the saved queries are listed, not running.
echo 'SHOW QUERIES;' >show.sql
"$SLUICE" run --db db show.sql >out.txt 2>err.txt || { cat err.txt; fail "SHOW QUERIES"; }
grep -Eq '^\| wc +\| STOPPED +\| +\| 1 +\| 20[0-9-]+ [0-9:.]+ +\| +\| 0 +\| CREATE QUERY wc AS' out.txt ||
  { cat out.txt; fail "SHOW QUERIES: wc not STOPPED"; }
grep -Eq '^\| copy +\| STOPPED ' out.txt || { cat out.txt; fail "SHOW QUERIES: copy not listed"; }

# DROP STREAM of a stream a saved query reads: refused, naming the query.
echo 'DROP STREAM lines;' >drop.sql
if "$SLUICE" run --db db drop.sql 2>err.txt; then fail "DROP STREAM under a saved query succeeded"; fi
cat >want.txt <<'OUT'
drop.sql:1:13: error: stream "lines" is read by query wc (saved, not running)
    1 | DROP STREAM lines;
      |             ^~~~~
hint: DROP STREAM lines CASCADE drops it too; or drop it first
OUT
diff -u want.txt err.txt || fail "DROP STREAM's refusal"
[ "$(sqlite3 db "SELECT count(*) FROM _sluice_streams WHERE name = 'lines'")" = 1 ] ||
  fail "the refused DROP STREAM dropped the stream"
# ... and every later start still works.
printf 'c\n' >>in.txt
"$SLUICE" run --db db 2>err.txt || { cat err.txt; fail "resuming after the refused drop"; }
[ "$(sqlite3 db "SELECT n FROM wc WHERE word = 'c'")" = 1 ] || fail "wc did not resume"

# A saved query that cannot start (its stream was removed by hand) is FAILED with
# its error, and the one after it still resumes.
sqlite3 db "DELETE FROM _sluice_streams WHERE name = 'lines'"
printf 'd\n' >>in.txt
printf 'SHOW QUERIES;\n' | "$SLUICE" --mode table --db db >out.txt 2>err.txt || true
grep -q '<saved query wc>:1:.*error: unknown stream "lines"' err.txt || { cat err.txt; fail "no resume error"; }
grep -Eq '^\| wc +\| FAILED +\| unknown stream "lines" +\| 2 ' out.txt ||
  { cat out.txt; fail "SHOW QUERIES: wc not FAILED with its error"; }
grep -Eq '^\| copy +\| (RUNNING|FINISHED) ' out.txt || { cat out.txt err.txt; fail "copy did not resume after wc failed"; }

# A paused query is PAUSED, in this run and the next.
echo 'PAUSE QUERY copy;' >pause.sql
"$SLUICE" run --db db pause.sql 2>err.txt || { cat err.txt; fail "PAUSE QUERY"; }
"$SLUICE" run --db db show.sql >out.txt 2>err.txt || { cat err.txt; fail "SHOW QUERIES"; }
grep -Eq '^\| copy +\| PAUSED +\| +\| ' out.txt || { cat out.txt; fail "SHOW QUERIES: copy not PAUSED"; }
echo 'DROP STREAM other;' >drop_other.sql
if "$SLUICE" run --db db drop_other.sql 2>err.txt; then fail "DROP STREAM under a paused query succeeded"; fi
grep -q 'error: stream "other" is read by query copy (paused)$' err.txt || { cat err.txt; fail "DROP STREAM's refusal of a paused query's stream"; }

# DROP STREAM ... CASCADE drops the saved query too, and says so; later runs start clean.
cat >cascade.sql <<'SQL'
DROP STREAM other CASCADE;
SHOW QUERIES;
SQL
"$SLUICE" run --db db cascade.sql >out.txt 2>err.txt || { cat err.txt; fail "DROP STREAM CASCADE"; }
grep -q '^query copy dropped; its table copy is kept$' err.txt || { cat err.txt; fail "CASCADE did not say it dropped copy"; }
grep -q '^stream other dropped$' err.txt || { cat err.txt; fail "CASCADE did not drop the stream"; }
grep -q 'copy' out.txt && { cat out.txt; fail "SHOW QUERIES still lists copy"; }
[ "$(sqlite3 db "SELECT count(*) FROM copy")" -gt 0 ] || fail "CASCADE dropped copy's table"
exit 0
