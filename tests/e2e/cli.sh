#!/usr/bin/env bash
# The command line: help, version, usage errors, check, run's exit codes,
# a graceful stop on SIGINT, and the REPL with stdin not a terminal.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

"$SLUICE" --help | grep -q 'sluice run' || fail "--help"
"$SLUICE" --version | grep -q '^sluice ' || fail "--version"
set +e
"$SLUICE" frobnicate 2>/dev/null; [ $? -eq 2 ] || fail "unknown command must exit 2"
"$SLUICE" run --db nothere.db 2>err.txt; [ $? -eq 1 ] || fail "resuming a missing database must exit 1"
grep -q "database 'nothere.db' does not exist" err.txt || fail "no message for a missing database"
[ ! -e nothere.db ] || fail "resuming a missing database made it"
"$SLUICE" --bogus 2>/dev/null; [ $? -eq 2 ] || fail "unknown option must exit 2"
set -e

printf 'a b\nb c\n' >in.txt
cat >ok.sql <<'SQL'
CREATE STREAM lines (line TEXT) FROM FILE 'in.txt' FORMAT TEXT;
CREATE QUERY wc AS SELECT word, COUNT(*) AS n
  FROM lines, UNNEST(split(line, ' ')) AS word GROUP BY word;
SQL
"$SLUICE" check ok.sql || fail "check of a good file"
[ ! -e sluice.db ] || fail "check must not create a database"
"$SLUICE" run ok.sql 2>/dev/null || fail "run of a good file"
[ "$(sqlite3 sluice.db 'select group_concat(word || n, " ") from (select * from wc order by word)')" = "a1 b2 c1" ] ||
  fail "default database ./sluice.db"
"$SLUICE" run ok.sql 2>/dev/null || fail "running the same file again"
[ "$(sqlite3 sluice.db 'select sum(n) from wc')" = 4 ] || fail "a re-run must start over, not double count"

echo 'CREATE STREAM lines (line TEXT) FROM FILE;' >bad.sql
set +e
"$SLUICE" run --db x.db bad.sql 2>err.txt; rc=$?
set -e
[ $rc -eq 1 ] || fail "a statement error must exit 1 (got $rc)"
grep -q '^bad.sql:1:' err.txt || fail "error without file:line:col"

# A graceful stop: SIGINT while a slow socket feeds, exit 0, batches committed.
"$BUILD_DIR/sl_textgen" 200000 100 5 >slow.txt
start_feeder slow.txt --chunk 2048 --pause-ms 20
cat >slow.sql <<SQL
CREATE STREAM lines (line TEXT) FROM SOCKET '127.0.0.1:$FEEDER_PORT' FORMAT TEXT;
CREATE QUERY wc AS SELECT word, COUNT(*) AS n
  FROM lines, UNNEST(split(line, ' ')) AS word GROUP BY word TRIGGER EVERY 100 MILLISECONDS;
SQL
"$SLUICE" run --db slow.db slow.sql 2>/dev/null &
pid=$!
sleep 1
kill -INT $pid
wait $pid || fail "SIGINT must stop gracefully with exit 0"
[ "$(sqlite3 slow.db 'pragma integrity_check')" = ok ] || fail "integrity after SIGINT"
[ "$(sqlite3 slow.db 'select count(*) from _sluice_progress')" -ge 1 ] || fail "no batch committed before SIGINT"

# The REPL, stdin not a terminal: no prompt; tables answered by SQLite.
out=$(printf 'SELECT word, n\n  FROM wc ORDER BY word;\n' | "$SLUICE" --mode table --db sluice.db)
echo "$out" | grep -q '| a    | 1 |' || { echo "$out"; fail "REPL table answer"; }
echo "$out" | grep -q 'sluice>' && fail "no prompt when stdin is not a terminal"
# A live SELECT over a stream prints its table after each batch.
out=$(printf "CREATE STREAM l2 (line TEXT) FROM FILE 'in.txt' FORMAT TEXT;\nSELECT line FROM l2;\n" |
  "$SLUICE" --mode table --db repl.db 2>/dev/null)
echo "$out" | grep -q '| b c  |' || { echo "$out"; fail "REPL live select"; }
# Statements run one at a time in the REPL: a query outlives the parse of
# its statement, so DESCRIBE and EXPLAIN later must not read freed names.
out=$(printf "CREATE STREAM l3 (line TEXT) FROM FILE 'in.txt' FORMAT TEXT;\nCREATE QUERY q3 AS SELECT upper(line) AS shout FROM l3, UNNEST(split(line, ' ')) AS w;\nDESCRIBE q3;\nEXPLAIN q3;\n" |
  "$SLUICE" --mode table --db repl3.db 2>&1)
echo "$out" | grep -q '| shout  | TEXT | no  |' || { echo "$out"; fail "DESCRIBE of a running query"; }
echo "$out" | grep -q 'unnest split(line' || { echo "$out"; fail "EXPLAIN of a running query"; }
echo "1 passed, 0 failed"
