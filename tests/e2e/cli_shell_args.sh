#!/usr/bin/env bash
# The shell's command line (issue 15): -c "SQL" and FILE.sql run then exit,
# in the order given, waiting for the queries they started; --no-resume;
# --readonly refusing writes and leaving the file untouched; `check --db`
# knowing the saved streams; a run that fails on a syntax error creating no
# database; --help per command; usage errors exit 2.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

expect_rc() { # expect_rc CODE what command...
  local want=$1 what=$2; shift 2
  set +e; "$@"; local rc=$?; set -e
  [ "$rc" -eq "$want" ] || fail "$what: exit $rc, expected $want"
}

# --help per command, each naming its own options.
"$SLUICE" --help | grep -q -- '--readonly' || fail "sluice --help lacks --readonly"
"$SLUICE" run --help | grep -q -- '--progress' || fail "sluice run --help lacks --progress"
"$SLUICE" check --help | grep -q -- '--db FILE' || fail "sluice check --help lacks --db"
"$SLUICE" nexmark --help | grep -q -- '--events N' || fail "sluice nexmark --help"
expect_rc 2 "--progress outside run" "$SLUICE" --progress -c 'SELECT 1;' 2>/dev/null
expect_rc 2 "--readonly with run" "$SLUICE" run --readonly x.sql 2>/dev/null
expect_rc 2 "-c without its SQL" "$SLUICE" -c 2>/dev/null
expect_rc 2 "check without files" "$SLUICE" check 2>/dev/null

# -c and files run in command-line order, then sluice exits.
printf 'a b\nb c\n' >in.txt
cat >wc.sql <<'SQL'
CREATE STREAM lines (line TEXT) FROM FILE 'in.txt' FORMAT TEXT;
CREATE QUERY wc AS SELECT word, COUNT(*) AS n
  FROM lines, UNNEST(split(line, ' ')) AS word GROUP BY word;
SQL
out=$("$SLUICE" --mode table --db a.db -c 'SELECT 1 AS first;' wc.sql -c 'SELECT 3 AS third;' 2>err.txt) ||
  fail "-c and a file: $(cat err.txt)"
[ "$(echo "$out" | grep -o 'first\|third' | tr '\n' ' ')" = "first third " ] ||
  fail "-c outputs out of order: $out"
# The file's query ran to the end of its input before sluice exited.
[ "$(sqlite3 a.db 'select group_concat(word || n, " ") from (select * from wc order by word)')" = "a1 b2 c1" ] ||
  fail "the file's query did not run to its end"
out=$("$SLUICE" --mode table --db a.db -c 'SELECT n FROM wc WHERE word = '"'b'"';' 2>/dev/null)
echo "$out" | grep -q '| 2 |' || fail "-c over a result table: $out"
# An error names -c as its file and exits 1.
expect_rc 1 "a failing -c" "$SLUICE" --mode table --db a.db -c 'SELECT nope FROM lines;' 2>err.txt
grep -q '^-c:1:8: error' err.txt || fail "-c error position: $(cat err.txt)"
# A file from stdin.
echo 'SELECT 5 AS five;' | "$SLUICE" --mode table --db a.db - | grep -q five || fail "FILE.sql '-' reads stdin"

# -c and files are read as the shell reads piped input: dot-commands work, a
# -c's last ';' may be left out, and the first input that fails ends the run.
out=$("$SLUICE" --mode table --db a.db -c '.tables' -c '.mode csv' -c 'SELECT word, n FROM wc ORDER BY word' 2>err.txt) ||
  fail "dot-commands in -c: $(cat err.txt)"
[ "$out" = "$(printf 'wc\na,1\nb,2\nc,1')" ] || fail "dot-commands in -c printed: $out"
printf '.mode json\nSELECT n FROM wc WHERE word = %s;\n' "'a'" >mode.sql
[ "$("$SLUICE" --mode table --db a.db mode.sql)" = '[{"n":1}]' ] || fail "a dot-command in FILE.sql: $("$SLUICE" --mode table --db a.db mode.sql)"
expect_rc 1 "a failing -c before another" "$SLUICE" --mode table --db a.db -c 'SELECT nope FROM wc;' -c 'SELECT 42 AS after;' >out.txt 2>/dev/null
grep -q after out.txt && fail "the -c after a failed one ran"
expect_rc 1 "a missing FILE.sql" "$SLUICE" --mode table --db a.db missing.sql 2>err.txt
grep -q 'cannot open missing.sql' err.txt || fail "a missing FILE.sql is not named: $(cat err.txt)"

# --no-resume: the shell starts none of the saved queries.
printf 'x y\n' >in2.txt
cat >saved.sql <<'SQL'
CREATE STREAM s2 (line TEXT) FROM FILE 'in2.txt' FORMAT TEXT;
CREATE QUERY q2 AS SELECT line, COUNT(*) AS n FROM s2 GROUP BY line;
SQL
"$SLUICE" run --db r.db saved.sql 2>/dev/null
out=$(echo 'SHOW QUERIES;' | "$SLUICE" --mode table --db r.db --no-resume 2>&1)
echo "$out" | grep -q 'query q2 resumed\|q2.*running' && fail "--no-resume resumed q2: $out"
out=$(echo 'SHOW QUERIES;' | "$SLUICE" --mode table --db r.db 2>&1)
echo "$out" | grep -q 'q2' || fail "without --no-resume q2 must resume: $out"

# --readonly: reads work, writes are refused naming the statement, the file is unchanged.
sqlite3 a.db 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
before=$(md5sum a.db)
out=$("$SLUICE" --mode table --db a.db --readonly -c 'SELECT n FROM wc ORDER BY word;' -c 'SHOW STREAMS;')
echo "$out" | grep -q lines || fail "--readonly SHOW STREAMS: $out"
expect_rc 1 "--readonly DROP" "$SLUICE" --mode table --db a.db --readonly -c 'DROP QUERY wc;' 2>err.txt
grep -q 'read-only: DROP QUERY would write' err.txt || fail "--readonly message: $(cat err.txt)"
echo "CREATE STREAM z (a INT) FROM FILE 'in.txt' FORMAT CSV;" >create.sql
expect_rc 1 "--readonly CREATE in the shell" "$SLUICE" --mode table --db a.db --readonly <create.sql 2>err.txt
grep -q 'read-only: CREATE STREAM' err.txt || fail "--readonly shell message: $(cat err.txt)"
[ "$(md5sum a.db)" = "$before" ] || fail "--readonly changed the database"
sqlite3 a.db 'select count(*) from wc' | grep -q 3 || fail "wc lost under --readonly"
expect_rc 1 "--readonly on a missing database" "$SLUICE" --mode table --db none.db --readonly -c 'SELECT 1;' 2>err.txt
grep -q 'does not exist' err.txt || fail "--readonly missing database message"
[ ! -e none.db ] || fail "--readonly created a database"

# check --db: the database's saved streams are known; nothing is written.
before=$(md5sum a.db)
"$SLUICE" check --db a.db -c 'SELECT line FROM lines;' || fail "check --db must know stream lines"
expect_rc 1 "check without --db" "$SLUICE" check -c 'SELECT line FROM lines;' 2>/dev/null
expect_rc 1 "check --db of a missing database" "$SLUICE" check --db none.db -c 'SELECT 1;' 2>/dev/null
[ ! -e none.db ] || fail "check --db created a database"
[ "$(md5sum a.db)" = "$before" ] || fail "check --db changed the database"

# A run that fails on a syntax error creates no database, -wal or -shm.
printf 'CREATE STREAM ok1 (a INT) FROM FILE %s FORMAT CSV;\nSELEC 2;\n' "'in.txt'" >syntax.sql
expect_rc 1 "a syntax error" "$SLUICE" run --db fresh.db syntax.sql 2>err.txt
grep -q '^syntax.sql:2:1: error' err.txt || fail "syntax error message: $(cat err.txt)"
ls fresh.db* >/dev/null 2>&1 && fail "a run failing on a syntax error created $(ls fresh.db*)"
expect_rc 1 "a syntax error in -c" "$SLUICE" --mode table --db fresh.db -c 'SELEC 1;' 2>/dev/null
ls fresh.db* >/dev/null 2>&1 && fail "-c failing on a syntax error created $(ls fresh.db*)"
echo "cli_shell_args: ok"
