#!/usr/bin/env bash
# ${NAME} references in a connector's address and options (issue 17,
# "secrets stay secret"): read from the environment when the statement is
# bound, never saved in the database (the catalog keeps the text as written),
# printed as written by SHOW; an unset variable or a malformed reference is
# an error that says so; a restart without the variable sets the stream aside
# with that error; $${ is a literal ${. A token shows as *** in SHOW.
source "$(dirname "$0")/lib.bash"
cd "$WORK"
mkdir in out
printf 'a\nb\n' >in/lines.txt
cat >q.sql <<'SQL'
CREATE STREAM s (line TEXT) FROM FILE '${IN_DIR}/lines.txt' FORMAT TEXT;
CREATE STREAM h (line TEXT) FROM HTTP LISTEN '127.0.0.1:0' FORMAT TEXT WITH (token = '${TOKEN}');
CREATE QUERY q AS SELECT line FROM s;
CREATE SINK k FROM q INTO FILE '${OUT_DIR}/rows' FORMAT JSON;
SQL
IN_DIR=$WORK/in OUT_DIR=$WORK/out TOKEN=hunter2-secret "$SLUICE" run --db db q.sql >run.txt 2>&1 ||
  { cat run.txt; fail "the run with the variables set"; }
[ "$(sqlite3 db 'SELECT line FROM q ORDER BY 1' | tr '\n' ' ')" = "a b " ] || fail "the rows read"
cat out/rows/* | grep -q '"line"' || fail "the sink did not write to the resolved path"
# (A checkpoint names the file it read, by its resolved path: a path is not a secret.)
if grep -a -q 'hunter2-secret' db*; then fail "the token is saved in the database"; fi
sqlite3 db "SELECT sql FROM _sluice_streams ORDER BY rowid" >streams.txt
diff - streams.txt <<'OUT' || fail "the catalog does not keep the text as written"
CREATE STREAM s (line TEXT) FROM FILE '${IN_DIR}/lines.txt' FORMAT TEXT
CREATE STREAM h (line TEXT) FROM HTTP LISTEN '127.0.0.1:0' FORMAT TEXT WITH (token = '${TOKEN}')
OUT

IN_DIR=$WORK/in OUT_DIR=$WORK/out TOKEN=hunter2-secret "$SLUICE" --db db --mode list -c 'SHOW STREAMS' >show.txt 2>&1 ||
  { cat show.txt; fail "SHOW STREAMS"; }
grep -q "FILE '\${IN_DIR}/lines.txt'" show.txt || { cat show.txt; fail "SHOW STREAMS does not print the reference"; }
grep -q "token = '\*\*\*'" show.txt || { cat show.txt; fail "SHOW STREAMS prints the token"; }
if grep -q hunter2 show.txt; then fail "SHOW STREAMS prints the secret"; fi

# A restart without the variables: the saved streams do not bind, and say why.
"$SLUICE" run --db db /dev/null >restart.txt 2>&1 || true
grep -q "warning: ignoring saved stream s:" restart.txt || { cat restart.txt; fail "the saved stream was not set aside"; }
grep -q 'environment variable "IN_DIR" is not set' restart.txt || { cat restart.txt; fail "no message for the unset variable"; }

cat >bad.sql <<'SQL'
CREATE STREAM u (line TEXT) FROM FILE '${NOT_SET_ANYWHERE}/x.txt' FORMAT TEXT;
CREATE STREAM m (line TEXT) FROM FILE '${IN_DIR/x.txt' FORMAT TEXT;
SQL
if "$SLUICE" check bad.sql >got.txt 2>&1; then fail "bad references were accepted"; fi
diff - got.txt <<'OUT' || fail "not the expected messages"
bad.sql:1:39: error: environment variable "NOT_SET_ANYWHERE" is not set
    1 | CREATE STREAM u (line TEXT) FROM FILE '${NOT_SET_ANYWHERE}/x.txt' FORMAT TEXT;
      |                                       ^~~~~~~~~~~~~~~~~~~~~~~~~~~
hint: set it in the environment sluice starts in: a ${NAME} reference is read at start, and never saved in the database
bad.sql:2:39: error: a ${...} reference is not closed or not a name
    2 | CREATE STREAM m (line TEXT) FROM FILE '${IN_DIR/x.txt' FORMAT TEXT;
      |                                       ^~~~~~~~~~~~~~~~
hint: an environment variable is written ${NAME} (letters, digits and _); write $${ for a literal ${
OUT

# $${ is a literal ${: the file is named so.
mkdir 'lit${x}'
printf 'c\n' >'lit${x}/l.txt'
cat >lit.sql <<'SQL'
CREATE STREAM l (line TEXT) FROM FILE 'lit$${x}/l.txt' FORMAT TEXT;
CREATE QUERY lq AS SELECT line FROM l;
SQL
"$SLUICE" run --db lit.db lit.sql >/dev/null 2>&1 || fail "a literal \${"
[ "$(sqlite3 lit.db 'SELECT line FROM lq')" = c ] || fail "the literal \${ path's rows"
echo "ok: references resolved, never saved, shown as written; unset and malformed refused"
