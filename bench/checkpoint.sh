#!/usr/bin/env bash
# make bench (third part): what a checkpoint costs per batch (issue 5).
# For G live groups (10 K, 1 M, 10 M by default; BENCH_CKPT_GROUPS overrides,
# e.g. BENCH_CKPT_GROUPS="10000 1000000" for a quicker run), sl_churngen
# writes 16-byte CSV records: every key once (the load phase), then S
# batches of G/100 distinct random keys each. `WITH (max_batch_bytes =
# 16 * G / 100)` and a 1-hour trigger make every batch hold exactly G/100
# records: the load phase is batches 1..100, the steady state (1% of the
# groups changing per batch) the next S.
#
# GROUP BY state goes to the append-only _sluice_state_log: each batch
# appends its changed groups and as many unchanged ones again (a pass over
# the groups, at 1% churn 100 batches long); once a pass has covered every
# group, the rows from before it are superseded and each batch deletes twice
# as many of them as it appended (engine/runtime/state_writer.c). The
# first pass of the steady state ends about 100 batches in; from then on
# every batch also deletes: those batches ("after a pass") are the steady
# state the verdict uses. S defaults to 200 up to 1 M groups and 110 above
# (10 M: 10 batches after a pass; more would take too long);
# BENCH_CKPT_BATCHES=S overrides it for every G.
#
# The same input and query run twice, both `FROM FILE`:
#   state:    the query as it is: each batch's transaction appends state
#             rows to the log and writes its checkpoint row;
#   baseline: the same with `WITH (checkpoint = false)`: no state, no
#             checkpoint row (checked: 0 rows of it in _sluice_state,
#             _sluice_state_log and _sluice_checkpoints), all else the same
#             (result rows, progress rows).
#
# Per steady batch, from _sluice_progress: state_ms (writing the state rows),
# commit_ms (the COMMIT; recorded by the next batch, so the last batch has
# none and is left out), duration_ms (read + aggregate + state + flush).
# Both runs cut the same input at the same sizes, so batch ids line up, and
# per batch id: checkpoint cost = state's (state_ms + commit_ms) - base's
# commit_ms; whole-batch difference = (duration_ms + commit_ms) state - base.
# Reported: median, mean and max over the steady batches, and the mean over
# those after a pass, which the verdict (share of a 1 s trigger) uses.
# Appends a dated section to bench/RESULTS.md.
source "$(dirname "$0")/lib.bash"
groups_list=${BENCH_CKPT_GROUPS:-10000 1000000 10000000}
load_batches=100
sluice=$root/$build/sluice

steady_batches() { # G -> S
  if [ -n "${BENCH_CKPT_BATCHES:-}" ]; then echo "$BENCH_CKPT_BATCHES"
  elif [ "$1" -le 1000000 ]; then echo 200
  else echo 110; fi
}

gen() { # gen G S -> path (cached between runs)
  local f=$data/churn-$1-$2.csv
  # Written aside then renamed: an interrupted run leaves no partial input to reuse.
  [ -s "$f" ] || { "$root/$build/sl_churngen" "$1" "$2" 42 >"$f.tmp" && mv "$f.tmp" "$f"; }
  echo "$f"
}

# run MODE G FILE -> "wall_seconds peak_rss_kb db_bytes"; leaves $work/MODE.db
run() {
  local mode=$1 g=$2 file=$3 opts db=$work/$1.db
  rm -f "$db"*
  opts="max_batch_bytes = $((16 * g / 100))"
  [ "$mode" = state ] || opts+=", checkpoint = false"
  cat >"$work/$mode.sql" <<SQL
CREATE STREAM st (k TEXT, v INTEGER) FROM FILE '$file' FORMAT CSV;
CREATE QUERY agg AS SELECT k, count(*) AS n, sum(v) AS s FROM st GROUP BY k
  TRIGGER EVERY 1 HOUR WITH ($opts);
SQL
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$work/rss" "$sluice" run --db "$db" "$work/$mode.sql" \
    >"$work/$mode.log" 2>&1 </dev/null || { cat "$work/$mode.log" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$(echo "$end - $start" | bc -l) $(tail -1 "$work/rss") $(cat "$db" "$db-wal" 2>/dev/null | wc -c)"
}

# stats FILE COLUMN [FROM] -> "median mean max count" of the column of the
# per-batch file (only batches from id FROM on); "- - - 0" if none
stats() {
  awk -v c="$2" -v from="${3:-0}" '$1 >= from {print $c}' "$1" | sort -g |
    awk '{v[NR] = $1; t += $1} END {
      if (!NR) { print "- - - 0"; exit }
      m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "%.1f %.1f %.1f %d\n", m, t / NR, v[NR], NR}'
}

f1() { if [ "$1" = - ]; then printf -- '-'; else printf '%.1f' "$1"; fi; }
pct() { printf '%.1f%%' "$(echo "100 * $1 / $2" | bc -l)"; }
mib() { echo $(($1 / 1048576)); }
calc() { echo "$1" | bc -l; }

rows=""
notes=""
declare -A cost_of
for g in $groups_list; do
  batches=$(steady_batches "$g")
  file=$(gen "$g" "$batches")
  per=$((g / 100))
  load0=$(cut -d' ' -f1 /proc/loadavg)
  run baseline "$g" "$file" >"$work/run"
  read -r wall_b rss_b db_b <"$work/run"
  run state "$g" "$file" >"$work/run"
  read -r wall_s rss_s db_s <"$work/run"
  load1=$(cut -d' ' -f1 /proc/loadavg)
  # What each run did must be what this benchmark means.
  steady="batch_id > $load_batches AND rows_in > 0"
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
  base_rows=$(sqlite3 "$work/baseline.db" "SELECT (SELECT count(*) FROM _sluice_state WHERE query = 'agg')
    + (SELECT count(*) FROM _sluice_state_log WHERE query = 'agg')
    + (SELECT count(*) FROM _sluice_checkpoints WHERE query = 'agg')")
  [ "$base_rows" -eq 0 ] ||
    { echo "checkpoint bench: the checkpoint = false baseline wrote $base_rows state/log/checkpoint rows; it is no longer a baseline" >&2; exit 1; }
  log_rows=$(sqlite3 "$work/state.db" "SELECT count(*) FROM _sluice_state_log WHERE query = 'agg'")
  distinct=$(sqlite3 "$work/state.db" "SELECT count(DISTINCT key) FROM _sluice_state_log WHERE query = 'agg'")
  if [ "$log_rows" -eq 0 ] || [ "$distinct" -ne "$g" ]; then
    echo "checkpoint bench: $log_rows state log rows, $distinct keys, for $g groups" >&2
    exit 1
  fi

  # One line per steady batch with both commit times, both runs side by side:
  # "batch state_ms commit_s commit_b cost whole".
  sqlite3 -separator ' ' "$work/state.db" "ATTACH '$work/baseline.db' AS b;
    SELECT s.batch_id, s.state_ms, s.commit_ms, p.commit_ms,
           s.state_ms + s.commit_ms - p.commit_ms,
           s.duration_ms + s.commit_ms - p.duration_ms - p.commit_ms
    FROM main._sluice_progress s JOIN b._sluice_progress p USING (query, batch_id)
    WHERE s.query = 'agg' AND s.rows_in > 0 AND s.batch_id > $load_batches
      AND s.commit_ms IS NOT NULL AND p.commit_ms IS NOT NULL ORDER BY s.batch_id" >"$work/batches"
  cp "$work/batches" "$data/batches-$g-$batches.txt" # kept for a closer look

  after=$((load_batches + 102)) # the first steady pass has ended: batches delete too
  read -r st_med st_mean st_max _ < <(stats "$work/batches" 2)
  read -r cs_med cs_mean cs_max _ < <(stats "$work/batches" 3)
  read -r cb_med cb_mean cb_max _ < <(stats "$work/batches" 4)
  read -r c_med c_mean c_max n_all < <(stats "$work/batches" 5)
  read -r _ w_mean _ _ < <(stats "$work/batches" 6)
  read -r _ a_mean a_max n_after < <(stats "$work/batches" 5 "$after")
  if [ "$n_after" -gt 0 ]; then
    cost=$a_mean
    cost_cell="**$(f1 "$a_mean")** (max $(f1 "$a_max"), n = $n_after)"
  else
    cost=$c_mean
    cost_cell="$(f1 "$c_mean") (no batch after a pass: all steady batches)"
  fi
  cost_of[$g]=$cost
  rows+="| $g | $batches ($n_all) | $(f1 "$st_med") / $(f1 "$st_mean") / $(f1 "$st_max") \
| $(f1 "$cs_med") / $(f1 "$cs_mean") / $(f1 "$cs_max") | $(f1 "$cb_med") / $(f1 "$cb_mean") / $(f1 "$cb_max") \
| $(f1 "$c_med") / $(f1 "$c_mean") / $(f1 "$c_max") | $cost_cell | **$(pct "$cost" 1000)** \
| $(f1 "$w_mean") \
| $(mib $((rss_s * 1024))) / $(mib $((rss_b * 1024))) MiB | $(mib "$db_s") / $(mib "$db_b") MiB \
| $(f1 "$wall_s") / $(f1 "$wall_b") |
"
  echo "checkpoint bench: $g groups done: ${cost} ms per batch" >&2
  notes+="$g groups: load average $load0 before, $load1 after. "
done

verdict="1 M groups not run: no verdict against the target."
if [ -n "${cost_of[1000000]:-}" ]; then
  a=${cost_of[1000000]}
  if [ "$(calc "$a < 100")" -eq 1 ]; then v="meets"; else v="misses"; fi
  verdict="At 1 M groups the checkpoint costs $(f1 "$a") ms per steady batch: \
$(pct "$a" 1000) of a 1 s trigger, which **$v** the target of under 10%."
fi

report=$(cat <<MD

## Checkpoint cost (state log compacted as it goes), $(date -u '+%Y-%m-%d %H:%M UTC') ($(nproc) cores, $(uname -m))

Command: \`make bench\` (bench/checkpoint.sh; here BENCH_CKPT_GROUPS="$groups_list",
BENCH_CKPT_BATCHES=${BENCH_CKPT_BATCHES:-"unset: 200 up to 1 M groups, 110 above"}): \`sl_churngen G S 42\`,
every key once (100 load batches) then S batches of G/100 distinct random keys, cut exactly by
\`max_batch_bytes\`; \`SELECT k, count(*) AS n, sum(v) AS s FROM st GROUP BY k\`, both runs
\`FROM FILE\`. "state": the query as it is (state appended to \`_sluice_state_log\`, which
each batch compacts a little). "base": the same with \`WITH (checkpoint = false)\` (checked:
no \`_sluice_state\`, \`_sluice_state_log\` or \`_sluice_checkpoints\` rows). Per steady
batch (after the load phase) and per batch id, ms, as median / mean / max.

| groups | steady batches (used) | state_ms | commit_ms state | commit_ms base | checkpoint cost med / mean / max | cost after a pass, mean | share of 1 s | whole-batch diff, mean | peak RSS state / base | DB + WAL state / base | run s state / base |
|---|---|---|---|---|---|---|---|---|---|---|---|
$rows
Checkpoint cost = state's (state_ms + commit_ms) - base's commit_ms, per batch id; whole-batch
diff = (duration_ms + commit_ms) state - base, per batch id. "After a pass": steady batches
from the 102nd on, when the first steady pass over the groups has ended and each batch also
deletes superseded rows: the steady state, which the verdict uses.

$verdict
Machine: ${notes}
MD
)
echo "$report"
echo "$report" >>"$root/bench/RESULTS.md"
