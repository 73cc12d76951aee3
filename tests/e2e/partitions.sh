#!/usr/bin/env bash
# WITH (partitions = n) gives the tables one partition gives, for n = 1, 2,
# 3 and 7: GROUP BY (every aggregate kind, TEXT, INTEGER, REAL and NULL keys
# with a few hot keys and many rare ones), HAVING with groups entering and
# leaving, tumbling and hopping windows (EMIT FINAL and CHANGES, late rows
# dropped or kept in a table), sessions, a window with HAVING, a window over
# time alone, UNNEST, a derived table and CREATE STREAM AS, over a CSV file
# cut into small batches and over JSON, TEXT and CSV files of several MB
# decoded on the exchange's threads (query_split.c), with malformed lines:
# the same dead letters. The GROUP BYs also equal sqlite3's. A quoted CSV
# field spanning reads decodes the same. A partitions = 3 run killed again
# and again ends with the tables of an uninterrupted one-partition run; a
# saved query keeps its checkpoint's count when run with no script or with
# a text without a count, another explicit count is refused (golden text),
# and EXPLAIN shows the exchange.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

python3 - <<'PY'
import random
rnd = random.Random(14)
words = ['w%d' % i for i in range(300)]
def ts(ms):
    s = ms // 1000
    return '2026-01-01 %02d:%02d:%02d.%03d' % (s // 3600, s // 60 % 60, s % 60, ms % 1000)
def tkey():
    x = rnd.random()
    if x < 0.3: return 'hot%d' % rnd.randrange(3)
    if x < 0.35: return None
    return 'k%d' % rnd.randrange(3000)
def ikey():
    x = rnd.random()
    if x < 0.05: return None
    if x < 0.45: return rnd.randrange(5)
    return rnd.randrange(5000) - 2500
def rkey():
    return rnd.choice([0.5, 1.25, -3.75]) if rnd.random() < 0.5 else rnd.randrange(200) / 4
def row(i):
    ms = i * 10 + rnd.randrange(-1500, 1500)
    if rnd.random() < 0.01:
        ms -= 20000  # late for any window
    tags = ';'.join(rnd.choice(words[:3] if rnd.random() < 0.3 else words)
                    for _ in range(rnd.randrange(0, 4)))
    return tkey(), ikey(), rkey(), rnd.randrange(1000), rnd.randrange(10000) / 100, tags, ts(max(ms, 0))
def csv_field(x):
    return '' if x is None else str(x)
with open('ev.csv', 'w') as f:
    for i in range(30000):
        f.write(','.join(csv_field(x) for x in row(i)) + '\n')
import json
with open('ev.ndjson', 'w') as f:
    for i in range(40000):
        t, k, rk, v, r, tags, when = row(i)
        if i % 1009 == 3: f.write('{"tk": "a", "v": "many"}\n')
        elif i % 2003 == 7: f.write('{"tk": "b", \n')
        else: f.write(json.dumps({'tk': t, 'ik': k, 'v': v, 'r': r, 'pad': 'x' * 20, 'ts': when}) + '\n')
with open('words.txt', 'w') as f:
    for i in range(50000):
        f.write(' '.join(rnd.choice(words[:5] if rnd.random() < 0.2 else words)
                         for _ in range(rnd.randrange(0, 12))) + '\n')
# A CSV file with malformed lines among the good ones, for the dead letters.
with open('bad.csv', 'w') as f:
    for i in range(40000):
        if i % 997 == 5: f.write('k1,notanumber,1.5,3,x,a,%s\n' % ts(i * 10))
        elif i % 1499 == 9: f.write('too,few\n')
        else: f.write(','.join(csv_field(x) for x in row(i)) + '\n')
PY

# The queries over the CSV file for partition count $1, cut into batches of
# max_batch_bytes $2.
csv_queries() {
  sed -e "s/@P@/$1/g" -e "s/@MBB@/$2/g" <<'SQL'
CREATE STREAM ev (tk TEXT, ik INTEGER, rk REAL, v INTEGER, r REAL, tags TEXT, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND) FROM FILE 'ev.csv' FORMAT CSV;
CREATE QUERY g AS
  SELECT tk, COUNT(*) AS c, SUM(v) AS s, AVG(v) AS a, MIN(v) AS lo, MAX(r) AS hi,
         COUNT(DISTINCT ik) AS nd, COUNT(*) FILTER (WHERE v > 500) AS big
  FROM ev GROUP BY tk TRIGGER EVERY 20 MILLISECONDS WITH (partitions = @P@, max_batch_bytes = @MBB@);
CREATE QUERY gir AS
  SELECT ik, rk, COUNT(*) AS c, SUM(r) AS s, MIN(tk) AS lo FROM ev GROUP BY ik, rk
  TRIGGER EVERY 20 MILLISECONDS WITH (partitions = @P@, max_batch_bytes = @MBB@);
CREATE QUERY h AS
  SELECT ik, COUNT(*) AS c, SUM(v) AS s FROM ev GROUP BY ik HAVING COUNT(*) < 8 AND SUM(v) > 900
  TRIGGER EVERY 20 MILLISECONDS WITH (partitions = @P@, max_batch_bytes = @MBB@);
CREATE QUERY tw AS
  SELECT tk, COUNT(*) AS c, SUM(v) AS s, MAX(r) AS hi FROM ev GROUP BY tk
  WINDOW TUMBLING (SIZE 10 SECONDS) EMIT FINAL
  TRIGGER EVERY 20 MILLISECONDS WITH (partitions = @P@, max_batch_bytes = @MBB@);
CREATE QUERY twl AS
  SELECT ik, COUNT(*) AS c FROM ev GROUP BY ik WINDOW TUMBLING (SIZE 5 SECONDS) EMIT FINAL
  TRIGGER EVERY 20 MILLISECONDS WITH (partitions = @P@, max_batch_bytes = @MBB@, late = 'table');
CREATE QUERY hw AS
  SELECT rk, COUNT(*) AS c, SUM(v) AS s FROM ev GROUP BY rk
  WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 4 SECONDS) EMIT CHANGES
  TRIGGER EVERY 20 MILLISECONDS WITH (partitions = @P@, max_batch_bytes = @MBB@);
CREATE QUERY sw AS
  SELECT tk, COUNT(*) AS c, SUM(v) AS s FROM ev WHERE tk LIKE 'k1%' GROUP BY tk
  WINDOW SESSION (GAP 20 SECONDS) EMIT CHANGES
  TRIGGER EVERY 20 MILLISECONDS WITH (partitions = @P@, max_batch_bytes = @MBB@);
CREATE QUERY wh AS
  SELECT ik, COUNT(*) AS c FROM ev GROUP BY ik WINDOW TUMBLING (SIZE 30 SECONDS)
  HAVING COUNT(*) BETWEEN 2 AND 30 EMIT CHANGES
  TRIGGER EVERY 20 MILLISECONDS WITH (partitions = @P@, max_batch_bytes = @MBB@);
CREATE QUERY gt AS
  SELECT COUNT(*) AS c, SUM(v) AS s FROM ev WINDOW TUMBLING (SIZE 10 SECONDS) EMIT FINAL
  TRIGGER EVERY 20 MILLISECONDS WITH (partitions = @P@, max_batch_bytes = @MBB@);
CREATE QUERY u AS
  SELECT tag, COUNT(*) AS c, SUM(v) AS s FROM ev, UNNEST(split(tags, ';')) AS tag GROUP BY tag
  TRIGGER EVERY 20 MILLISECONDS WITH (partitions = @P@, max_batch_bytes = @MBB@);
CREATE QUERY d AS
  SELECT b, COUNT(*) AS c, SUM(w) AS s
  FROM (SELECT v % 17 AS b, v * 2 AS w FROM ev WHERE ik IS NOT NULL) GROUP BY b
  TRIGGER EVERY 20 MILLISECONDS WITH (partitions = @P@, max_batch_bytes = @MBB@);
SQL
}
# The queries over files of several MB read whole, their lines decoded on
# the exchange's threads, for partition count $1; some lines are malformed.
file_queries() {
  sed -e "s/@P@/$1/g" <<'SQL'
CREATE STREAM js (tk TEXT, ik INTEGER, v INTEGER, r REAL, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND) FROM FILE 'ev.ndjson' FORMAT JSON;
CREATE STREAM lines (line TEXT) FROM FILE 'words.txt' FORMAT TEXT;
CREATE STREAM bad (tk TEXT, ik INTEGER, rk REAL, v INTEGER, r REAL, tags TEXT, ts TIMESTAMP)
  FROM FILE 'bad.csv' FORMAT CSV;
CREATE STREAM pw AS SELECT window_start, window_end, tk, COUNT(*) AS n, SUM(v) AS total FROM ev
  GROUP BY tk WINDOW TUMBLING (SIZE 10 SECONDS) EMIT FINAL WITH (partitions = @P@);
CREATE QUERY pwg AS SELECT tk, COUNT(*) AS c, SUM(n) AS n, SUM(total) AS s FROM pw GROUP BY tk
  WITH (partitions = @P@);
CREATE QUERY bg AS SELECT ik, COUNT(*) AS c, SUM(v) AS s FROM bad GROUP BY ik WITH (partitions = @P@);
CREATE QUERY jg AS
  SELECT tk, ik % 7 AS m, COUNT(*) AS c, SUM(v) AS s, MAX(r) AS hi FROM js GROUP BY tk, ik % 7
  WITH (partitions = @P@);
CREATE QUERY jw AS
  SELECT ik, COUNT(*) AS c, SUM(v) AS s FROM js GROUP BY ik
  WINDOW HOPPING (SIZE 20 SECONDS, ADVANCE BY 5 SECONDS) EMIT FINAL WITH (partitions = @P@);
CREATE QUERY words AS
  SELECT word, COUNT(*) AS c FROM lines, UNNEST(split(line, ' ')) AS word GROUP BY word
  HAVING COUNT(*) > 1 WITH (partitions = @P@);
SQL
}
TABLES="g gir h tw twl twl_late hw sw wh gt u d pwg bg jg jw words"
dump() {
  local t
  for t in $TABLES; do echo "== $t"; sqlite3 "$1" "SELECT * FROM $t" | sort; done
  # A record's letter is kept once (by whichever query decoded it first).
  sqlite3 "$1" 'SELECT stream, source, "offset", record, error FROM _sluice_dead_letters
                ORDER BY stream, source, "offset"'
}

# 1. Every partition count's tables are the one-partition run's.
# The four runs at once: most of a run's time is its commits' waits.
pids=()
for p in 1 2 3 7; do
  { csv_queries "$p" 65536; file_queries "$p"; } >q$p.sql
  "$SLUICE" run --db p$p.db q$p.sql >out$p.txt 2>&1 &
  pids+=($!)
done
for i in 0 1 2 3; do
  p=$(echo 1 2 3 7 | cut -d' ' -f$((i + 1)))
  wait "${pids[$i]}" || { cat out$p.txt; fail "partitions = $p"; }
  dump p$p.db >dump$p.txt
done
for p in 2 3 7; do
  diff dump1.txt dump$p.txt >diff.txt || { head -20 diff.txt; fail "partitions = $p differs from 1"; }
done
for t in $TABLES; do
  [ "$(sqlite3 p1.db "SELECT count(*) FROM $t")" -gt 0 ] || fail "table $t is empty"
done
for s in js bad; do
  [ "$(sqlite3 p1.db "SELECT count(*) FROM _sluice_dead_letters WHERE stream = '$s'")" -gt 20 ] ||
    fail "stream $s has too few dead letters"
done
# js is read by two queries (jg, jw): each bad record's letter is there once.
[ "$(sqlite3 p1.db 'SELECT count(*) FROM (SELECT 1 FROM _sluice_dead_letters
                    GROUP BY stream, source, "offset" HAVING count(*) > 1)')" = 0 ] ||
  fail "a record's dead letter is kept twice"
[ "$(sqlite3 p1.db "SELECT count(*) FROM sw WHERE c > 1")" -gt 0 ] || fail "no session merged rows"
case "$(sqlite3 p7.db "SELECT plan FROM _sluice_checkpoints WHERE query = 'g'")" in
  */p7) ;; *) fail "query g's checkpoint is not in 7 partitions" ;; esac
case "$(sqlite3 p7.db "SELECT plan FROM _sluice_checkpoints WHERE query = 'twl'")" in
  */p*) fail "late = 'table' was partitioned" ;; esac
case "$(sqlite3 p7.db "SELECT plan FROM _sluice_checkpoints WHERE query = 'gt'")" in
  */p*) fail "a window over time alone was partitioned" ;; esac
case "$(sqlite3 p7.db "SELECT plan FROM _sluice_checkpoints WHERE query = 'pw'")" in
  */p*) fail "CREATE STREAM AS was partitioned" ;; esac

# The GROUP BYs against sqlite3 over the same rows.
sqlite3 oracle.db <<'SQL'
CREATE TABLE ev (tk TEXT, ik INTEGER, rk REAL, v INTEGER, r REAL, tags TEXT, ts TEXT);
.mode csv
.import ev.csv ev
UPDATE ev SET tk = NULL WHERE tk = '';
UPDATE ev SET ik = NULL WHERE ik = '';
SQL
oracle_vs() { # name sluice-select sqlite-select
  diff <(sqlite3 oracle.db "$3" | sort) <(sqlite3 p3.db "$2" | sort) >diff.txt ||
    { head diff.txt; fail "$1 differs from sqlite3"; }
}
oracle_vs g "SELECT tk, c, s, printf('%.6f', a), lo, nd, big FROM g" \
  "SELECT tk, COUNT(*), SUM(v), printf('%.6f', AVG(v)), MIN(v), COUNT(DISTINCT ik),
          COUNT(*) FILTER (WHERE v > 500) FROM ev GROUP BY tk"
oracle_vs h "SELECT * FROM h" \
  "SELECT ik, COUNT(*), SUM(v) FROM ev GROUP BY ik HAVING COUNT(*) < 8 AND SUM(v) > 900"
oracle_vs d "SELECT * FROM d" \
  "SELECT v % 17, COUNT(*), SUM(v * 2) FROM ev WHERE ik IS NOT NULL GROUP BY 1"
diff <(oracle_word_counts words.txt | awk -F'|' '$2 > 1') \
  <(sqlite3 p3.db "SELECT * FROM words WHERE word <> ''" | sort) >diff.txt ||
  { head diff.txt; fail "the word counts differ from the shell's"; }
echo "ok: partitions 1, 2, 3 and 7 give the same tables, equal to sqlite3's"

# A CSV field quoted in one read and holding the next reads' newlines, with
# no quote in them: those lines are the field's, not records (the exchange's
# threads decoded them as records, dead letters).
python3 - <<'PY'
rows = ['k%d,%d\n' % (i % 13, i) for i in range(3000)]
note = ''.join('line %d of the note\n' % j for j in range(15000))
open('quoted.csv', 'w').write(''.join(rows) + 'big,"' + note + '"\n' + ''.join(rows))
PY
for p in 1 2; do
  cat >quoted$p.sql <<SQL
CREATE STREAM s (k TEXT, note TEXT) FROM FILE 'quoted.csv' FORMAT CSV;
CREATE QUERY g AS SELECT k, COUNT(*) AS c, SUM(length(note)) AS l FROM s GROUP BY k
  WITH (partitions = $p, max_batch_bytes = 65536);
SQL
  "$SLUICE" run --db quoted$p.db quoted$p.sql >out.txt 2>&1 || { cat out.txt; fail "quoted, partitions = $p"; }
done
[ "$(sqlite3 quoted2.db "SELECT count(*) FROM _sluice_dead_letters")" = 0 ] ||
  fail "the quoted field's lines were dead letters"
diff <(sqlite3 quoted1.db "SELECT * FROM g ORDER BY k") <(sqlite3 quoted2.db "SELECT * FROM g ORDER BY k") ||
  fail "the quoted field was decoded differently by 2 partitions"

# 3. Killed with SIGKILL again and again with 3 partitions, the run ends with
# the tables of the uninterrupted one-partition run. (In a soak, as many kills
# as land before the input ends: the input is the other checks' too.)
csv_queries 3 32768 >resume.sql
kill_and_restart db resume.sql
CSV_TABLES="g gir h tw twl twl_late hw sw wh gt u d"
compared=0
for t in $CSV_TABLES; do
  diff <(sqlite3 p1.db "SELECT * FROM $t" | sort) <(sqlite3 db "SELECT * FROM $t" | sort) >diff.txt ||
    { head diff.txt; fail "after $KILLS kills, table $t differs from one partition's"; }
  compared=$((compared + $(sqlite3 db "SELECT count(*) FROM $t")))
done
[ "$KILLS" -ge 3 ] || fail "only $KILLS kills landed"
grep -q "query g resumed at byte [0-9]* of its input, with [1-9][0-9]* groups" err.txt ||
  fail "no run said it resumed query g with its groups"
for q in g tw sw; do
  [ "$(sqlite3 db "SELECT sum(rows_in) FROM _sluice_progress WHERE query = '$q'")" = 30000 ] ||
    fail "the committed batches of $q did not read each row once"
done

# Saved with 3 partitions and run with no script, a query keeps 3 (the
# machine's cores are fewer): the rows added to its file go on the groups.
plan_of() { sqlite3 db "SELECT plan FROM _sluice_checkpoints WHERE query = '$1'"; }
case "$(plan_of g)" in */p3) ;; *) fail "query g's checkpoint: $(plan_of g)" ;; esac
size=$(wc -c <ev.csv)
head -1000 ev.csv >more.csv
cat more.csv >>ev.csv
"$SLUICE" run --db db >out.txt 2>&1 || { cat out.txt; fail "the run with no script"; }
grep -q "query g resumed at byte $size of its input" out.txt || { cat out.txt; fail "query g did not resume"; }
case "$(plan_of g)" in */p3) ;; *) fail "query g's checkpoint after a run: $(plan_of g)" ;; esac
[ "$(sqlite3 db "SELECT sum(c) FROM g")" = 31000 ] || fail "the added rows were not counted once"
# The text without its count goes on with the checkpoint's 3 partitions too.
sed 's/partitions = 3, //' resume.sql >nocount.sql
cat more.csv >>ev.csv
"$SLUICE" run --db db nocount.sql >out.txt 2>&1 || { cat out.txt; fail "the text without its count"; }
case "$(plan_of g)" in */p3) ;; *) fail "query g's checkpoint without a count: $(plan_of g)" ;; esac
[ "$(sqlite3 db "SELECT sum(c) FROM g")" = 32000 ] || fail "the rows added again were not counted once"

# Another explicit count is refused, naming both.
csv_queries 2 16384 >two.sql
if "$SLUICE" run --db db two.sql >/dev/null 2>got.txt; then fail "partitions = 2 was not refused"; fi
diff - got.txt <<'OUT' || fail "not the expected refusal"
two.sql:6:8: error: the checkpoint of query g holds its groups in 3 partitions, and this plan has 2 (WITH (partitions = 2)): a group's state cannot move to another partition; run it with partitions = 3 (or without the option), or drop it to start over
    6 |   FROM ev GROUP BY tk TRIGGER EVERY 20 MILLISECONDS WITH (partitions = 2, max_batch_bytes = 16384);
      |        ^~
hint: the query is saved in this database and continues from its last batch; CREATE OR REPLACE QUERY starts it over on its input as it is now
OUT

# EXPLAIN shows the exchange, by the group keys (none for a window over time alone).
{ csv_queries 3 16384; echo "EXPLAIN g;"; echo "EXPLAIN gt;"; } >explain.sql
"$SLUICE" run --db db explain.sql >out.txt 2>&1 || { cat out.txt; fail "EXPLAIN"; }
grep -q "| exchange (partitions by hash of tk) -> (tk TEXT, " out.txt || { cat out.txt; fail "no exchange in EXPLAIN g"; }
echo "ok: $KILLS kills; the resumed tables equal one partition's; the saved count is kept, another refused"
soak_report partitions "$KILLS" "$RESTARTS" "$compared"
echo "1 passed, 0 failed"
