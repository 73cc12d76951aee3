#!/usr/bin/env bash
# The saved state of a GROUP BY over a file: a restart resumes with it and
# keeps the table (a file that grew is read on); a state row that does not
# decode, a group saved twice, a state row or checkpoint that does not match
# its checksum (a bit flipped on disk), or a checkpoint another plan wrote is
# refused with a message naming the query (golden text below); CREATE OR REPLACE and
# DROP QUERY delete the state. A tumbling window resumes with its state
# (a bad row refused the same way), and so does a session window, with keys
# its table dropped deleted from the state.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

seq 1 2000 | awk '{printf "%d,line %d\n", $1, $1}' >ev.csv
cat >q.sql <<'SQL'
CREATE STREAM ev (n INTEGER, line TEXT) FROM FILE 'ev.csv' FORMAT CSV;
CREATE QUERY agg AS SELECT n / 300 AS k, COUNT(*) AS c, SUM(n) AS s FROM ev GROUP BY 1;
SQL
oracle() { awk -F, '{k = int($1 / 300); c[k]++; s[k] += $1} END {for (k in c) print k "|" c[k] "|" s[k]}' ev.csv | sort -t'|' -k1,1n; }
table() { sqlite3 db "SELECT k, c, s FROM agg ORDER BY k"; }

"$SLUICE" run --db db q.sql >/dev/null 2>&1 || fail "the first run"
[ "$(table)" = "$(oracle)" ] || fail "the first run's table"
[ "$(sqlite3 db "SELECT count(DISTINCT key) FROM _sluice_state_log WHERE query = 'agg'")" = 7 ] ||
  fail "not one state row per group"

# The file grew: the restart reads only what was added, onto the saved groups.
size=$(wc -c <ev.csv)
seq 2001 3000 | awk '{printf "%d,line %d\n", $1, $1}' >>ev.csv
"$SLUICE" run --db db q.sql >out.txt 2>&1 || { cat out.txt; fail "the run after the file grew"; }
grep -q "query agg resumed at byte $size of its input, with 7 groups" out.txt ||
  { cat out.txt; fail "no resume notice"; }
[ "$(table)" = "$(oracle)" ] || fail "the table after the file grew"
[ "$(sqlite3 db "SELECT sum(rows_in) FROM _sluice_progress WHERE query = 'agg'")" = 3000 ] ||
  fail "a row was read twice"

# refused FILE: runs q.sql, which must fail with exactly the text on stdin.
# The operator's number is its partition's (the group's hash picks it): N.
refused() {
  if "$SLUICE" run --db db q.sql >/dev/null 2>got.txt; then fail "$1 was not refused"; fi
  sed -i -e 's/row op = [0-9]*,/row op = N,/' -e 's/of operator [0-9]* in/of operator N in/' got.txt
  diff - got.txt || fail "$1: not the expected message"
}
cp db good.db
cp db-wal good.db-wal 2>/dev/null || true
restore_db() { cp good.db db; rm -f db-wal db-shm; cp good.db-wal db-wal 2>/dev/null || true; }

# One byte changed in a state row, one bit in the checkpoint's offset: the checksums refuse both.
sqlite3 db "UPDATE _sluice_state_log SET state = CAST(substr(state, 1, length(state) - 1) || X'01' AS BLOB)
            WHERE key = X'020300000000000000'"
refused "a state row with one byte changed" <<'OUT'
q.sql:2:74: error: the saved state of query agg is corrupted: a row of operator N in _sluice_state_log does not match its checksum (the database was changed outside Sluice, or the disk is failing)
    2 | CREATE QUERY agg AS SELECT n / 300 AS k, COUNT(*) AS c, SUM(n) AS s FROM ev GROUP BY 1;
      |                                                                          ^~
hint: the query is saved in this database and continues from its last batch; CREATE OR REPLACE QUERY starts it over on its input as it is now
OUT
restore_db
sqlite3 db "UPDATE _sluice_checkpoints SET \"offset\" = (\"offset\" | 64) - (\"offset\" & 64) WHERE query = 'agg'"
refused "a checkpoint with a flipped bit" <<'OUT'
q.sql:2:74: error: the checkpoint of query agg is corrupted: it does not match its checksum (the database was changed outside Sluice, or the disk is failing)
    2 | CREATE QUERY agg AS SELECT n / 300 AS k, COUNT(*) AS c, SUM(n) AS s FROM ev GROUP BY 1;
      |                                                                          ^~
hint: the query is saved in this database and continues from its last batch; CREATE OR REPLACE QUERY starts it over on its input as it is now
OUT
restore_db

# Rows written before checksums (schema version 5: NULL) are read, and their
# bytes still checked as they decode.
sqlite3 db "UPDATE _sluice_state_log SET state = X'01020000', checksum = NULL WHERE key = X'020300000000000000'"
refused "a state that does not decode" <<'OUT'
q.sql:2:74: error: the saved state of query agg is not valid (_sluice_state_log row op = N, key = X'020300000000000000'): a group's aggregate states do not decode
    2 | CREATE QUERY agg AS SELECT n / 300 AS k, COUNT(*) AS c, SUM(n) AS s FROM ev GROUP BY 1;
      |                                                                          ^~
hint: the query is saved in this database and continues from its last batch; CREATE OR REPLACE QUERY starts it over on its input as it is now
OUT
restore_db

sqlite3 db "UPDATE _sluice_state_log SET key = X'0203', checksum = NULL WHERE key = X'020300000000000000'"
refused "a key that does not decode" <<'OUT'
q.sql:2:74: error: the saved state of query agg is not valid (_sluice_state_log row op = N, key = X'0203'): a group's key does not decode
    2 | CREATE QUERY agg AS SELECT n / 300 AS k, COUNT(*) AS c, SUM(n) AS s FROM ev GROUP BY 1;
      |                                                                          ^~
hint: the query is saved in this database and continues from its last batch; CREATE OR REPLACE QUERY starts it over on its input as it is now
OUT
restore_db

# The key (n / 300 may be an INT or a REAL) REAL 3.0 (tag 3) is the group of the INT 3.
sqlite3 db "INSERT INTO _sluice_state_log SELECT query, seq + 1000000, op, X'030000000000000840', state, NULL
            FROM _sluice_state_log WHERE key = X'020300000000000000'"
refused "a group saved twice" <<'OUT'
q.sql:2:74: error: the saved state of query agg is not valid (_sluice_state_log row op = N, key = X'030000000000000840'): a group is there twice
    2 | CREATE QUERY agg AS SELECT n / 300 AS k, COUNT(*) AS c, SUM(n) AS s FROM ev GROUP BY 1;
      |                                                                          ^~
hint: the query is saved in this database and continues from its last batch; CREATE OR REPLACE QUERY starts it over on its input as it is now
OUT
restore_db

# Another plan: the same query text over a stream declared with other types (saved by
# hand: DROP STREAM refuses a stream a saved query reads).
sqlite3 db "UPDATE _sluice_streams SET sql = 'CREATE STREAM ev (n REAL, line TEXT) FROM FILE ''ev.csv'' FORMAT CSV' WHERE name = 'ev'"
cat >other.sql <<'SQL'
CREATE QUERY agg AS SELECT n / 300 AS k, COUNT(*) AS c, SUM(n) AS s FROM ev GROUP BY 1;
SQL
if "$SLUICE" run --db db other.sql >/dev/null 2>got.txt; then fail "another plan's state was read"; fi
grep -q "error: the checkpoint of query agg was written by another plan (fingerprint [0-9a-fp/]*, this plan's [0-9a-fp/]*): its state cannot be read into this one" got.txt ||
  { cat got.txt; fail "no message for another plan"; }
restore_db
[ "$(table)" = "$(oracle)" ] || fail "a refused restart changed the table"

# CREATE OR REPLACE starts over: the old groups' state is gone, the new query's written.
sed 's/CREATE QUERY agg AS SELECT n \/ 300/CREATE OR REPLACE QUERY agg AS SELECT n % 3/' q.sql >replace.sql
"$SLUICE" run --db db replace.sql >/dev/null 2>&1 || fail "CREATE OR REPLACE"
[ "$(sqlite3 db "SELECT count(*) FROM _sluice_state_log WHERE query = 'agg'")" = 3 ] ||
  fail "CREATE OR REPLACE kept the old state"
echo "DROP QUERY agg;" >drop.sql
"$SLUICE" run --db db drop.sql >/dev/null 2>&1 || fail "DROP QUERY"
[ "$(sqlite3 db "SELECT (SELECT count(*) FROM _sluice_state) + (SELECT count(*) FROM _sluice_state_log)")" = 0 ] ||
  fail "DROP QUERY kept the state"

# A tumbling window over an event-time file resumes too: the file grew by
# rows of later windows (the end of the input closed every window), and the
# table ends as a run over the whole file writes it.
ts_rows() { seq "$1" "$2" | awk '{printf "k%d,2026-01-01 00:%02d:%02d\n", $1 % 3, int($1 / 60), $1 % 60}'; }
ts_rows 1 959 >tev.csv
cat >win.sql <<'SQL'
CREATE STREAM tev (k TEXT, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)
  FROM FILE 'tev.csv' FORMAT CSV;
CREATE QUERY win AS SELECT k, COUNT(*) AS c FROM tev GROUP BY k WINDOW TUMBLING (SIZE 1 MINUTE);
SQL
"$SLUICE" run --db db win.sql >/dev/null 2>&1 || fail "the windowed query"
# Every window closed at the end of the input: only the scalars' rows are left (one per partition).
[ "$(sqlite3 db "SELECT count(*) FROM _sluice_state WHERE query = 'win' AND length(key) > 0")" = 0 ] ||
  fail "the closed windows left state rows"
size=$(wc -c <tev.csv)
ts_rows 960 1500 >>tev.csv
"$SLUICE" run --db db win.sql >out.txt 2>&1 || { cat out.txt; fail "the windowed query again"; }
grep -q "query win resumed at byte $size of its input" out.txt || { cat out.txt; fail "win"; }
"$SLUICE" run --db once.db win.sql >/dev/null 2>&1 || fail "the windowed query at once"
wins() { sqlite3 "$1" "SELECT window_start, k, c FROM win ORDER BY 1, 2"; }
[ "$(wins db)" = "$(wins once.db)" ] || fail "the resumed window's table"

sqlite3 db "UPDATE _sluice_state SET state = X'01', checksum = NULL WHERE query = 'win' AND key = X''"
if "$SLUICE" run --db db win.sql >/dev/null 2>got.txt; then fail "a bad window state was read"; fi
grep -q "error: the saved state of query win is not valid (_sluice_state row op = [0-9]*, key = X''): the window's closed end and watermark do not decode" got.txt ||
  { cat got.txt; fail "no message for a bad window state"; }

# A session window resumes too: the end of the input closed every session,
# each key keeps its closed bounds; the file grows by rows of later sessions
# and the table ends as a run over the whole file writes it.
cat >ses.sql <<'SQL'
CREATE STREAM sev (k TEXT, ts TIMESTAMP, WATERMARK FOR ts AS ts) FROM FILE 'sev.csv' FORMAT CSV;
CREATE QUERY ses AS SELECT k, COUNT(*) AS c FROM sev GROUP BY k WINDOW SESSION (GAP 10 SECONDS);
SQL
ts_rows 1 1500 >sev.csv
"$SLUICE" run --db db ses.sql >/dev/null 2>&1 || fail "the session query"
# The watermark's row (one per partition) and each key's closed bounds.
[ "$(sqlite3 db "SELECT count(*) FROM _sluice_state WHERE query = 'ses' AND length(key) > 0")" = 3 ] ||
  fail "the session's state rows"
size=$(wc -c <sev.csv)
ts_rows 1600 2000 >>sev.csv
"$SLUICE" run --db db ses.sql >out.txt 2>&1 || { cat out.txt; fail "the session query again"; }
grep -q "query ses resumed at byte $size of its input" out.txt || { cat out.txt; fail "ses"; }
"$SLUICE" run --db once.db ses.sql >/dev/null 2>&1 || fail "the session query at once"
sess() { sqlite3 "$1" "SELECT window_start, window_end, k, c FROM ses ORDER BY 1, 3"; }
[ "$(sess db)" = "$(sess once.db)" ] || fail "the resumed session's table"
[ "$(sqlite3 db "SELECT sum(c) FROM ses")" = 1901 ] || fail "the session counted a row twice"

# Many keys: a flush that rebuilds the session table (over 1,024 keys, most
# of them done) drops their rows from the state in the batch's transaction,
# so a resume does not bring them back.
many_rows() { seq "$1" "$2" | awk '{printf "m%d,2026-01-01 %02d:%02d:%02d\n", $1 % 4000, int($1 / 3600), int($1 / 60) % 60, $1 % 60}'; }
sed -e 's/sev/mev/g' -e 's/QUERY ses/QUERY many/' -e 's/GAP 10 SECONDS)/GAP 10 SECONDS) WITH (max_batch_bytes = 8192)/' ses.sql >many.sql
many_rows 1 5000 >mev.csv
"$SLUICE" run --db db many.sql >/dev/null 2>&1 || fail "the many-key session query"
# Rebuilds keep under 1,024 keys: of 4,000 keys, the state keeps fewer.
[ "$(sqlite3 db "SELECT count(*) < 1024 FROM _sluice_state WHERE query = 'many'")" = 1 ] ||
  fail "dropped session keys stayed in the state: $(sqlite3 db "SELECT count(*) FROM _sluice_state WHERE query = 'many'") rows"
many_rows 5100 9000 >>mev.csv
"$SLUICE" run --db db many.sql >/dev/null 2>&1 || fail "the many-key session query again"
"$SLUICE" run --db once.db many.sql >/dev/null 2>&1 || fail "the many-key session query at once"
manys() { sqlite3 "$1" "SELECT window_start, window_end, k, c FROM many ORDER BY 1, 3"; }
[ "$(manys db)" = "$(manys once.db)" ] || fail "the resumed many-key session's table"
[ "$(sqlite3 db "SELECT sum(c) FROM many")" = 8901 ] || fail "the many-key session counted a row twice"

sqlite3 db "UPDATE _sluice_state SET state = X'01', checksum = NULL WHERE query = 'ses' AND key <> X''"
if "$SLUICE" run --db db ses.sql >/dev/null 2>got.txt; then fail "a bad session state was read"; fi
grep -q "error: the saved state of query ses is not valid (_sluice_state row op = [0-9]*, key = X'4B.*'): a session key's state does not decode" got.txt ||
  { cat got.txt; fail "no message for a bad session state"; }
echo "1 passed, 0 failed"
