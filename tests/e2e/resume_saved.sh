#!/usr/bin/env bash
# `sluice run --db F` without a script resumes every query the database
# holds, each from its checkpoint, and so does the REPL when it opens F; a
# database without queries, or a query that cannot resume, is reported.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

printf 'a b\nb\n' >in.txt
cat >q.sql <<'SQL'
CREATE STREAM lines (line TEXT) FROM FILE 'in.txt' FORMAT TEXT;
CREATE QUERY wc AS SELECT word, count(*) AS n FROM lines, UNNEST(split(line, ' ')) AS word GROUP BY word;
CREATE QUERY firsts AS SELECT substr(line, 1, 1) AS c FROM lines;
SQL
"$SLUICE" run --db db q.sql 2>/dev/null
counts() { sqlite3 db "SELECT group_concat(word || n, ' ') FROM (SELECT * FROM wc ORDER BY word)"; }
[ "$(counts)" = "a1 b2" ] || fail "first run: $(counts)"

# A backup taken now (while nothing runs, or while it runs: a savepoint).
sqlite3 db ".backup backup.db"

printf 'c b\n' >>in.txt
"$SLUICE" run --db db 2>err.txt || { cat err.txt; fail "resuming without a script failed"; }
[ "$(counts)" = "a1 b3 c1" ] || fail "after resuming: $(counts)"
[ "$(sqlite3 db 'SELECT count(*) FROM firsts')" = 3 ] || fail "the projection did not resume"
grep -q "query wc resumed at byte 6 of its input, with 2 groups" err.txt || { cat err.txt; fail "no resume notice"; }
grep -q "query firsts resumed at byte 6 of its input" err.txt || { cat err.txt; fail "no resume notice"; }

# The REPL resumes them in the background; the same CREATE QUERY typed again is no error.
printf 'd\n' >>in.txt
printf "CREATE QUERY wc AS SELECT word, count(*) AS n FROM lines, UNNEST(split(line, ' ')) AS word GROUP BY word;\nSHOW QUERIES;\n" |
  "$SLUICE" --mode table --db db >out.txt 2>err.txt || { cat err.txt; fail "the REPL failed"; }
# SHOW QUERIES: the batch it resumed after (or the one it committed since),
# when that committed, the 2 bytes it had still to read (or none), no dead letters.
grep -Eq '^\| wc +\| (RUNNING|FINISHED) +\|  +\| [23] +\| 20[0-9-]+ [0-9:.]+ +\| [02] +\| 0 ' out.txt ||
  { cat out.txt; fail "SHOW QUERIES after resuming"; }
grep -q "query wc resumed at byte 10 of its input" err.txt out.txt || { cat err.txt; fail "the REPL did not resume"; }
grep -q "query wc is already running" err.txt out.txt || { cat err.txt out.txt; fail "the same CREATE QUERY again"; }
[ "$(counts)" = "a1 b3 c1 d1" ] || fail "after the REPL: $(counts)"

# A query that cannot resume (its file was truncated) is reported; the others still run.
printf 'zzz\n' >other.txt
cat >q2.sql <<'SQL'
CREATE STREAM other (line TEXT) FROM FILE 'other.txt' FORMAT TEXT;
CREATE QUERY o AS SELECT line FROM other;
SQL
"$SLUICE" run --db db q2.sql 2>/dev/null
printf 'x\n' >other.txt
printf 'e\n' >>in.txt
if "$SLUICE" run --db db 2>err.txt; then fail "a replaced input was resumed"; fi
grep -q "<saved query o>:1:36: error: file:other.txt was truncated" err.txt || { cat err.txt; fail "no message for the truncated input"; }
[ "$(counts)" = "a1 b3 c1 d1 e1" ] || fail "the other query did not resume: $(counts)"

# The backup resumes from its own checkpoint and catches up on the file.
"$SLUICE" run --db backup.db 2>err.txt || { cat err.txt; fail "resuming the backup"; }
[ "$(sqlite3 backup.db "SELECT group_concat(word || n, ' ') FROM (SELECT * FROM wc ORDER BY word)")" = "$(counts)" ] ||
  fail "the backup did not catch up: $(sqlite3 backup.db 'SELECT * FROM wc')"

# WITH (checkpoint = false): no state or position is kept; run again, it starts over.
cat >nock.sql <<'SQL'
CREATE STREAM lines (line TEXT) FROM FILE 'in.txt' FORMAT TEXT;
CREATE QUERY nock AS SELECT word, count(*) AS n FROM lines, UNNEST(split(line, ' ')) AS word GROUP BY word
  WITH (checkpoint = false);
SQL
"$SLUICE" run --db db nock.sql 2>/dev/null
"$SLUICE" run --db db nock.sql 2>err.txt
grep -q "query nock restarted from the beginning of its input" err.txt || { cat err.txt; fail "no checkpoint: not started over"; }
[ "$(sqlite3 db "SELECT n FROM nock WHERE word = 'b'")" = 3 ] || fail "no checkpoint: counted twice"
[ "$(sqlite3 db "SELECT (SELECT count(*) FROM _sluice_state_log WHERE query = 'nock') +
                        (SELECT count(*) FROM _sluice_checkpoints WHERE query = 'nock')")" = 0 ] ||
  fail "no checkpoint: state or a checkpoint was written"

sqlite3 empty.db 'CREATE TABLE t(x)'
if "$SLUICE" run --db empty.db 2>err.txt; then fail "a database without queries ran"; fi
grep -q "holds no queries" err.txt || { cat err.txt; fail "no message for a database without queries"; }
echo "1 passed, 0 failed"
