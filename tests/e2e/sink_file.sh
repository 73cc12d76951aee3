#!/usr/bin/env bash
# INTO FILE: a CSV sink and a JSON sink, both rolling, over a query on a FILE
# stream. The union of each sink's finished files equals the query's result
# table exactly (every row once), after an uninterrupted `sluice run` and
# after many `kill -9` during delivery with restarts; no file is left in
# progress once a run ends.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

seq 1 200000 | awk '{printf "%d,\"row %d, \"\"quoted\"\" text\"\n", $1, $1}' >ev.csv
cat >q.sql <<'SQL'
CREATE STREAM ev (n INTEGER, line TEXT) FROM FILE 'ev.csv' FORMAT CSV;
CREATE QUERY kept AS SELECT n, line FROM ev WHERE n % 3 <> 0
  TRIGGER EVERY 50 MILLISECONDS WITH (max_batch_bytes = 16384);
CREATE SINK as_csv FROM kept INTO FILE 'out/csv/' FORMAT CSV WITH (roll = '256 KB');
CREATE SINK as_json FROM kept INTO FILE 'out/json' FORMAT JSON WITH (roll = '300 milliseconds');
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

check_sinks() {
  local what=$1
  table_rows >want.txt
  [ "$(wc -l <want.txt)" = 133334 ] || fail "$what: the result table has $(wc -l <want.txt) rows"
  for sink in csv json; do
    ${sink}_rows out/$sink >got_$sink.txt
    cmp -s want.txt got_$sink.txt || {
      diff want.txt got_$sink.txt | head -5
      fail "$what: the $sink files are not the result table ($(wc -l <got_$sink.txt) rows)"
    }
    [ -z "$(find out/$sink -name '.*inprogress')" ] ||
      fail "$what: files left in progress in out/$sink: $(ls -A out/$sink)"
  done
  echo "ok: $what: $(ls out/csv | wc -l) CSV and $(ls out/json | wc -l) JSON files hold every row once"
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
AFTER_KILL=count_during kill_and_restart db q.sql
check_sinks "$KILLS kills, $during of them with batches waiting to be delivered"
[ "$during" -ge 5 ] || { tail -20 err.txt; fail "only $during kills landed during delivery"; }
echo "1 passed, 0 failed"
