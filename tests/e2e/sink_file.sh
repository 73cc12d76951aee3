#!/usr/bin/env bash
# INTO FILE over queries on a FILE stream: a CSV sink rolled by size and a
# JSON sink rolled by time (a projection), a CSV sink partitioned by
# window_start (an EMIT FINAL window) and a JSON changelog (EMIT CHANGES, with
# "op"). The union of each sink's finished files equals its query's result
# table exactly (every row once; the changelog replayed in file name order),
# after an uninterrupted `sluice run` and after many `kill -9` during delivery
# with restarts; no file is left in progress once a run ends.
# Soak (tests/soak/run): the kills over (SOAK_SCALE + 1) / 2 times the rows,
# KILL_MAX kills.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

# input ROWS: ROWS rows in ev.csv, 10 ms apart (200,000: 34 one-minute
# windows); sets rows and windows.
input() {
  rows=$1
  windows=$((rows / 6000 + 1))
  python3 - "$rows" <<'PY'
import datetime, sys
t0 = datetime.datetime(2026, 1, 1)
with open("ev.csv", "w") as f:
    for n in range(1, int(sys.argv[1]) + 1):
        ts = t0 + datetime.timedelta(milliseconds=10 * n)
        f.write('%d,"row %d, ""quoted"" text",%s\n' % (n, n, ts.strftime("%Y-%m-%d %H:%M:%S.%f")))
PY
}
input 200000
cat >q.sql <<'SQL'
CREATE STREAM ev (n INTEGER, line TEXT, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
  FROM FILE 'ev.csv' FORMAT CSV;
CREATE QUERY kept AS SELECT n, line FROM ev WHERE n % 3 <> 0
  TRIGGER EVERY 50 MILLISECONDS WITH (max_batch_bytes = 16384);
CREATE SINK as_csv FROM kept INTO FILE 'out/csv/' FORMAT CSV WITH (roll = '256 KB');
CREATE SINK as_json FROM kept INTO FILE 'out/json' FORMAT JSON WITH (roll = '300 milliseconds');
CREATE QUERY per_minute AS SELECT window_start, count(*) AS rows_in, sum(n) AS total FROM ev
  WINDOW TUMBLING (SIZE 1 MINUTE) EMIT FINAL WITH (max_batch_bytes = 65536);
CREATE SINK minutes FROM per_minute INTO FILE 'out/minutes' FORMAT CSV
  WITH (partition_by = 'window_start');
CREATE QUERY buckets AS SELECT n % 7 AS bucket, count(*) AS rows_in, max(n) AS top FROM ev
  GROUP BY n % 7 WITH (max_batch_bytes = 65536);
CREATE SINK changes FROM buckets INTO FILE 'out/changes' FORMAT JSON WITH (roll = '2 KB');
SQL

# The rows of the result table, one "n|line" a line, sorted by n.
table_rows() { sqlite3 db "SELECT n || '|' || line FROM kept ORDER BY n"; }
# The rows of a sink's finished files (duplicates kept), the same way.
csv_rows() {
  python3 - "$1" <<'PY'
import csv, glob, sys
rows = []
for path in glob.glob(sys.argv[1] + "/*.csv"):
    with open(path, newline="") as f:
        r = csv.reader(f)
        assert next(r) == ["n", "line"], path
        rows += [(int(n), line) for n, line in r]
for n, line in sorted(rows):
    print(f"{n}|{line}")
PY
}
json_rows() {
  python3 - "$1" <<'PY'
import glob, json, sys
rows = []
for path in glob.glob(sys.argv[1] + "/*.json"):
    with open(path) as f:
        rows += [(o["n"], o["line"]) for o in map(json.loads, f)]
for n, line in sorted(rows):
    print(f"{n}|{line}")
PY
}

# The EMIT FINAL windows' files, each row in the folder of its window_start.
minutes_rows() {
  python3 - out/minutes <<'PY'
import csv, glob, os, sys
rows = []
for path in glob.glob(sys.argv[1] + "/*/*.csv"):
    folder = os.path.basename(os.path.dirname(path))
    with open(path, newline="") as f:
        r = csv.reader(f)
        assert next(r) == ["window_start", "window_end", "rows_in", "total"], path
        for row in r:
            assert folder == "window_start=" + row[0][:19], (path, row)
            rows.append("|".join(row))
print("\n".join(sorted(rows)))
PY
}
# The changelog's files in name order (their batches' order), replayed: the last row a bucket.
changes_rows() {
  python3 - out/changes <<'PY'
import glob, json, sys
rows = {}
for path in sorted(glob.glob(sys.argv[1] + "/*.json")):
    for o in map(json.loads, open(path)):
        if o["op"] == "delete":
            rows.pop(o["bucket"], None)
        else:
            rows[o["bucket"]] = "%d|%d|%d" % (o["bucket"], o["rows_in"], o["top"])
print("\n".join(sorted(rows.values())))
PY
}

check_sinks() {
  local what=$1
  table_rows >want.txt
  [ "$(wc -l <want.txt)" = $((rows - rows / 3)) ] || fail "$what: the result table has $(wc -l <want.txt) rows"
  for sink in csv json; do
    ${sink}_rows out/$sink >got_$sink.txt
    cmp -s want.txt got_$sink.txt || {
      diff want.txt got_$sink.txt | head -5
      fail "$what: the $sink files are not the result table ($(wc -l <got_$sink.txt) rows)"
    }
    [ -z "$(find out/$sink -name '.*inprogress')" ] ||
      fail "$what: files left in progress in out/$sink: $(ls -A out/$sink)"
  done
  [ "$(minutes_rows)" = "$(sqlite3 db 'SELECT * FROM per_minute ORDER BY 1')" ] ||
    fail "$what: the partitioned files are not the per_minute table"
  [ "$(sqlite3 db 'SELECT count(*) FROM per_minute')" = "$windows" ] || fail "$what: not $windows windows"
  [ "$(changes_rows)" = "$(sqlite3 db 'SELECT * FROM buckets ORDER BY 1')" ] ||
    fail "$what: the changelog replayed is not the buckets table: $(changes_rows)"
  [ -z "$(find out -name '.*inprogress')" ] || fail "$what: files left in progress"
  echo "ok: $what: $(ls out/csv | wc -l) CSV and $(ls out/json | wc -l) JSON files hold every" \
    "row once, $(ls out/minutes | wc -l) window folders, $(ls out/changes | wc -l) changelog files"
}

"$SLUICE" run --db db q.sql >out.txt 2>err.txt || { cat err.txt; fail "sluice run failed"; }
check_sinks "one run"
[ "$(ls out/csv | wc -l)" -ge 3 ] || fail "the CSV sink did not roll by size: $(ls out/csv)"
[ "$(ls out/json | wc -l)" -ge 2 ] || fail "the JSON sink did not roll by time: $(ls out/json)"

# Killed with SIGKILL again and again (lib.bash's kill_and_restart), each time
# a little after the run made progress: a batch committed or, here, delivered;
# mostly while batches wait in the outbox. Then a last run to the end.
committed() {
  sqlite3 "$1" "SELECT (SELECT count(*) FROM _sluice_progress)
                     + (SELECT coalesce(sum(batch_id), 0) FROM _sluice_sink_progress)" 2>/dev/null ||
    echo 0
}
during=0
count_during() {
  [ "$(sqlite3 db 'SELECT count(*) FROM _sluice_outbox' 2>/dev/null || echo 0)" = 0 ] ||
    during=$((during + 1))
}
rm -rf out db*
[ "${SOAK_SCALE:-1}" = 1 ] || input $((200000 * (SOAK_SCALE + 1) / 2))
AFTER_KILL=count_during kill_and_restart db q.sql
check_sinks "$KILLS kills, $during of them with batches waiting to be delivered"
[ "$during" -ge 5 ] || { tail -20 err.txt; fail "only $during kills landed during delivery"; }
soak_report sink_file "$KILLS" "$RESTARTS" \
  "$((2 * $(wc -l <want.txt) + windows + $(sqlite3 db 'SELECT count(*) FROM buckets')))"
echo "1 passed, 0 failed"
