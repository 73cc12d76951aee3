#!/usr/bin/env bash
# make bench (third part): what a checkpoint costs per batch (issue 5).
# For G live groups (10 K, 1 M, 10 M by default; BENCH_CKPT_GROUPS overrides,
# e.g. BENCH_CKPT_GROUPS="10000 1000000" for a quicker run), sl_churngen
# writes 16-byte CSV records: every key once (the load phase), then
# BENCH_CKPT_BATCHES (default 30) batches of G/100 distinct random keys
# each. `WITH (max_batch_bytes = 16 * G / 100)` and a 1-hour trigger make
# every batch hold exactly G/100 records: the load phase is batches 1..100,
# the steady state (1% of the groups changing per batch) the next ones.
#
# The same input and query run twice:
#   state:    FROM FILE: a replayable source, so each batch's transaction
#             also writes the changed groups' rows into _sluice_state;
#   baseline: FROM STDIN (the file redirected): a source that cannot replay,
#             for which engine/query.c's query_finish_batch writes no state
#             (`source_replayable(q->source)`), everything else the same
#             (result rows, progress row, checkpoint row).
# The script checks the baseline wrote no state rows and refuses to report
# otherwise: if STDIN ever gets state, this baseline must change.
#
# Per steady batch, from _sluice_progress: state_ms (writing the state rows),
# commit_ms (the COMMIT), duration_ms (read + aggregate + state + flush).
# Checkpoint cost = median state_ms + (median commit_ms - baseline's median
# commit_ms): the state rows' writing and their share of the commit. The
# whole-batch difference, median(duration + commit) against the baseline's,
# is reported beside it (it also counts indirect effects, such as state
# pages pushing result pages out of SQLite's cache). Shares: of a 1 s
# trigger (cost / 1000 ms) and of the batch's own time (duration + commit).
# Appends a dated section to bench/RESULTS.md.
set -euo pipefail
export LC_ALL=C
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
data=$root/bench/data
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$data"
groups_list=${BENCH_CKPT_GROUPS:-10000 1000000 10000000}
batches=${BENCH_CKPT_BATCHES:-30}
load_batches=100
sluice=$root/$build/sluice

gen() { # gen G -> path (cached between runs)
  local f=$data/churn-$1-$batches.csv
  # Written aside then renamed: an interrupted run leaves no partial input to reuse.
  [ -s "$f" ] || { "$root/$build/sl_churngen" "$1" "$batches" 42 >"$f.tmp" && mv "$f.tmp" "$f"; }
  echo "$f"
}

# run MODE G FILE -> "wall_seconds peak_rss_kb db_bytes"; leaves $work/MODE.db
run() {
  local mode=$1 g=$2 file=$3 source db=$work/$1.db
  rm -f "$db"*
  if [ "$mode" = state ]; then source="FILE '$file'"; else source=STDIN; fi
  cat >"$work/$mode.sql" <<SQL
CREATE STREAM st (k TEXT, v INTEGER) FROM $source FORMAT CSV;
CREATE QUERY agg AS SELECT k, count(*) AS n, sum(v) AS s FROM st GROUP BY k
  TRIGGER EVERY 1 HOUR WITH (max_batch_bytes = $((16 * g / 100)));
SQL
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$work/rss" "$sluice" run --db "$db" "$work/$mode.sql" \
    <"$file" >"$work/$mode.log" 2>&1 || { cat "$work/$mode.log" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$(echo "$end - $start" | bc -l) $(tail -1 "$work/rss") $(cat "$db" "$db-wal" 2>/dev/null | wc -c)"
}

steady="batch_id > $load_batches AND rows_in > 0"
# batch_stat DB EXPR -> "median mean" of EXPR over the steady batches
batch_stat() {
  sqlite3 "$1" "SELECT $2 FROM _sluice_progress WHERE $steady ORDER BY 1" |
    awk '{v[NR] = $1; t += $1} END {
      if (!NR) exit 1
      m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "%.1f %.1f\n", m, t / NR}'
}

f1() { printf '%.1f' "$1"; }
pct() { printf '%.1f%%' "$(echo "100 * $1 / $2" | bc -l)"; }
mib() { echo $(($1 / 1048576)); }

rows=""
notes=""
for g in $groups_list; do
  file=$(gen "$g")
  per=$((g / 100))
  load0=$(cut -d' ' -f1 /proc/loadavg)
  run baseline "$g" "$file" >"$work/run"
  read -r wall_b rss_b db_b <"$work/run"
  run state "$g" "$file" >"$work/run"
  read -r wall_s rss_s db_s <"$work/run"
  load1=$(cut -d' ' -f1 /proc/loadavg)
  # What each run did must be what this benchmark means.
  for mode in baseline state; do
    db=$work/$mode.db
    read -r n lo hi < <(sqlite3 -separator ' ' "$db" \
      "SELECT count(*), min(rows_in), max(rows_in) FROM _sluice_progress WHERE $steady")
    if [ "$n" -ne "$batches" ] || [ "$lo" -ne "$per" ] || [ "$hi" -ne "$per" ]; then
      echo "checkpoint bench: $mode at $g groups: $n steady batches of $lo..$hi rows" >&2
      exit 1
    fi
    sqlite3 "$db" 'SELECT count(*), sum(n), sum(s) FROM agg' >"$work/$mode.sum"
  done
  cmp -s "$work/baseline.sum" "$work/state.sum" ||
    { echo "checkpoint bench: the two runs disagree at $g groups" >&2; exit 1; }
  state_rows=$(sqlite3 "$work/state.db" 'SELECT count(*) FROM _sluice_state')
  base_rows=$(sqlite3 "$work/baseline.db" 'SELECT count(*) FROM _sluice_state')
  [ "$base_rows" -eq 0 ] ||
    { echo "checkpoint bench: the STDIN baseline wrote $base_rows state rows; it is no longer a baseline" >&2; exit 1; }
  [ "$state_rows" -eq "$g" ] ||
    { echo "checkpoint bench: $state_rows state rows for $g groups" >&2; exit 1; }

  read -r st_med st_mean < <(batch_stat "$work/state.db" state_ms)
  read -r cs_med cs_mean < <(batch_stat "$work/state.db" commit_ms)
  read -r cb_med cb_mean < <(batch_stat "$work/baseline.db" commit_ms)
  read -r ds_med _ < <(batch_stat "$work/state.db" duration_ms)
  read -r db_med _ < <(batch_stat "$work/baseline.db" duration_ms)
  read -r bs_med _ < <(batch_stat "$work/state.db" 'duration_ms + commit_ms')
  read -r bb_med _ < <(batch_stat "$work/baseline.db" 'duration_ms + commit_ms')
  cost=$(echo "$st_med + $cs_med - $cb_med" | bc -l)
  cost_mean=$(echo "$st_mean + $cs_mean - $cb_mean" | bc -l)
  whole=$(echo "$bs_med - $bb_med" | bc -l)
  [ "$g" -eq 1000000 ] && cost_1m=$cost && cost_1m_mean=$cost_mean && whole_1m=$whole
  rows+="| $g | $(f1 "$st_med") | $(f1 "$cs_med") / $(f1 "$cb_med") | $(f1 "$ds_med") / $(f1 "$db_med") \
| **$(f1 "$cost")** ($(f1 "$cost_mean")) | $(f1 "$whole") | **$(pct "$cost" 1000)** \
| $(pct "$cost" "$bs_med") | $(mib $((rss_s * 1024))) / $(mib $((rss_b * 1024))) MiB \
| $(mib "$db_s") / $(mib "$db_b") MiB | $(f1 "$wall_s") / $(f1 "$wall_b") |
"
  notes+="$g groups: load average $load0 before, $load1 after. "
done

if [ -n "${cost_1m:-}" ]; then
  if [ "$(echo "$cost_1m < 100" | bc -l)" -eq 1 ]; then verdict="meets"; else verdict="misses"; fi
  verdict="At 1 M groups the checkpoint costs $(f1 "$cost_1m") ms per batch (median; mean $(f1 "$cost_1m_mean") ms; \
whole-batch difference $(f1 "$whole_1m") ms): $(pct "$cost_1m" 1000) of a 1 s trigger, which **$verdict** the
target of under 10%."
else
  verdict="1 M groups were not run: no verdict against the target."
fi

report=$(cat <<MD

## Checkpoint cost, $(date -u '+%Y-%m-%d %H:%M UTC') ($(nproc) cores, $(uname -m))

Command: \`make bench\` (bench/checkpoint.sh; here BENCH_CKPT_GROUPS="$groups_list",
BENCH_CKPT_BATCHES=$batches): \`sl_churngen G $batches 42\`, every key once (100 load batches)
then $batches batches of G/100 distinct random keys, cut exactly by \`max_batch_bytes\`;
\`SELECT k, count(*) AS n, sum(v) AS s FROM st GROUP BY k\`. "state" reads the file
(\`FROM FILE\`: state rows written); "base" reads it on stdin (\`FROM STDIN\`: no state
rows written, checked), otherwise the same. Figures are per steady batch (after the load
phase), medians in ms unless marked; "state / base" pairs the two runs.

| groups | state_ms | commit_ms state / base | duration_ms state / base | checkpoint cost ms, median (mean) | whole-batch diff ms | share of 1 s | share of batch | peak RSS state / base | DB + WAL state / base | run s state / base |
|---|---|---|---|---|---|---|---|---|---|---|
$rows
Checkpoint cost = state_ms + (commit_ms - base commit_ms); whole-batch diff =
(duration_ms + commit_ms) - base's, medians. Share of batch: cost / (duration_ms + commit_ms).
$verdict
Machine: ${notes}(other work ran on it at the same time: the figures are noisy).
MD
)
echo "$report"
echo "$report" >>"$root/bench/RESULTS.md"
