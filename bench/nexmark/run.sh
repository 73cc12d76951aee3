#!/usr/bin/env bash
# make bench / make bench-full: the Nexmark suite (bench/nexmark/qN.sql) on
# three inputs, the baselines on the same files in the same run, and the
# latency of a windowed query at a steady rate (latency.sh). Appends one
# dated section to bench/RESULTS.md.
#
# Inputs, each filled into a stream template of bench/nexmark/streams/:
#   generator: FROM NEXMARK, NEXMARK_EVENTS events (generator.sql);
#   csv, json: files written by `sluice nexmark` from NEXMARK_FILE_EVENTS
#              events, cached in bench/data/nexmark/ (csv.sql, json.sql).
# Per query and input: rows in (the rows the query read from its streams,
# _sluice_progress: bids, and auctions or persons for a join), wall seconds,
# rows in/s, rows in per CPU-second (user + sys of the process: the per-core
# figure issue 14's targets are about), peak RSS, database size and rows out;
# from the generator also the events generated per CPU-second (issue 16's
# targets); best of NEXMARK_RUNS by wall time.
# Baselines, on the CSV file: DuckDB (@duckdb/node-api, bench/package.json,
# installed here into bench/node_modules) running bench/nexmark/duckdb/qN.sql
# into a database file with `SET threads = 1` and with every core, and the
# sqlite3 CLI loading the CSV files (streams/sqlite.sql) then running the
# suite's oracle qN.oracle.sql (the two times are given apart).
# The headline: q17 over NEXMARK_HEADLINE_EVENTS events (5 M bids) from the
# CSV file, Sluice against DuckDB with 1 and 2 threads, best of
# NEXMARK_HEADLINE_RUNS, with WITH (partitions = 1) and (partitions = 2); q7
# and q17 also run with 1 and 2 partitions from the generator.
#
#   bench/nexmark/run.sh [BUILD]
# Environment (make bench's defaults; make bench-full sets larger ones):
#   NEXMARK_QUERIES, NEXMARK_EVENTS (2000000), NEXMARK_FILE_EVENTS (500000),
#   NEXMARK_HEADLINE_EVENTS (5434783, i.e. 5,000,000 bids), NEXMARK_RUNS (1),
#   NEXMARK_HEADLINE_RUNS (2), NEXMARK_RATE (10000), NEXMARK_SEED (42),
#   NEXMARK_SQLITE_TIMEOUT (60 s a query), NEXMARK_WORDCOUNT_WORDS (empty:
#   no RSS check; "10000000 100000000" in bench-full), NEXMARK_DIR (where
#   qN.sql and streams/ are: bench/nexmark), NEXMARK_SUITE_ONLY (set: the
#   suite's tables alone), and latency.sh's variables.
source "$(dirname "$0")/../lib.bash"
here=$root/bench/nexmark
queries_dir=${NEXMARK_DIR:-$here}
queries=${NEXMARK_QUERIES:-q0 q1 q2 q3 q4 q5 q7 q7_join q8 q9 q11 q12 q13 q14 q15 q16 q17 q18 q19 q20 q21 q22}
gen_events=${NEXMARK_EVENTS:-2000000}
file_events=${NEXMARK_FILE_EVENTS:-500000}
headline_events=${NEXMARK_HEADLINE_EVENTS:-5434783}
runs=${NEXMARK_RUNS:-1}
headline_runs=${NEXMARK_HEADLINE_RUNS:-2}
rate=${NEXMARK_RATE:-10000}
seed=${NEXMARK_SEED:-42}
sqlite_timeout=${NEXMARK_SQLITE_TIMEOUT:-60}
wordcount_words=${NEXMARK_WORDCOUNT_WORDS:-}
sluice=$root/$build/sluice
started_at=$(date -u '+%Y-%m-%d %H:%M UTC')
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

[ -f "$queries_dir/streams/generator.sql" ] || {
  echo "nexmark: no stream templates in $queries_dir/streams (set NEXMARK_DIR)" >&2
  exit 1
}

# The DuckDB baseline's package, as package-lock.json pins it.
(cd "$root/bench" && { [ -d node_modules/@duckdb/node-api ] || npm ci --no-audit --no-fund >&2; })

# inputs EVENTS FORMATS... -> folder with {bid,auction,person}.FORMAT (cached).
inputs() {
  local dir=$data/nexmark/events-$1-rate-$rate-seed-$seed kind format
  mkdir -p "$dir"
  for kind in bid auction person; do
    for format in "${@:2}"; do
      [ -s "$dir/$kind.$format" ] && continue
      # Written aside then renamed: an interrupted run leaves no partial input.
      "$sluice" nexmark --events "$1" --kind "$kind" --format "$format" --rate "$rate" \
        --seed "$seed" >"$dir/$kind.$format.tmp"
      mv "$dir/$kind.$format.tmp" "$dir/$kind.$format"
    done
  done
  echo "$dir"
}

# with_partitions N: each CREATE QUERY statement on stdin gets partitions = N.
with_partitions() {
  awk -v n="$1" '
    /^[[:space:]]*--/ { print; next }
    { statement = statement $0 "\n" }
    /;[[:space:]]*$/ {
      if (statement ~ /CREATE[[:space:]]+(OR[[:space:]]+REPLACE[[:space:]]+)?QUERY/) {
        if (statement ~ /WITH[[:space:]]*\(/)
          sub(/WITH[[:space:]]*\(/, "WITH (partitions = " n ", ", statement)
        else
          sub(/;[[:space:]]*\n$/, "\n  WITH (partitions = " n ");\n", statement)
      }
      printf "%s", statement
      statement = ""
    }
    END { printf "%s", statement }'
}

# script INPUT DIR QUERY [PARTITIONS] -> $work/run.sql: the stream template
# for INPUT (generator, csv, json or text) filled in, then the query.
script() {
  local template=$queries_dir/streams/$1.sql
  {
    EVENTS=$gen_events RATE=$rate SEED=$seed DIR=$2 envsubst '${EVENTS} ${RATE} ${SEED} ${DIR}' <"$template"
    if [ -n "${4:-}" ]; then with_partitions "$4" <"$queries_dir/$3.sql"; else cat "$queries_dir/$3.sql"; fi
  } >"$work/run.sql"
}

# setup DB QUERY: the tables QUERY reads (qN.setup.sql, q13's side input), made in DB.
setup() {
  [ ! -f "$queries_dir/$2.setup.sql" ] || sqlite3 "$1" <"$queries_dir/$2.setup.sql"
}

# run_sluice INPUT DIR QUERY RUNS [PARTITIONS] -> "wall user sys rss_kb
# db_bytes rows_in rows_out", the best of RUNS by wall time; "failed" when
# sluice fails (its error goes to $work/QUERY.err).
run_sluice() {
  local input=$1 dir=$2 q=$3 n=$4 best= i wall user sys rss
  script "$input" "$dir" "$q" "${5:-}"
  for ((i = 0; i < n; i++)); do
    rm -f "$work"/sluice.db*
    setup "$work/sluice.db" "$q"
    if ! timed "$work/t" "$sluice" run --db "$work/sluice.db" "$work/run.sql" \
         >/dev/null 2>"$work/$q.err"; then
      echo failed
      return
    fi
    read -r wall user sys rss <"$work/t"
    if [ -z "$best" ] || awk -v a="$wall" -v b="${best%% *}" 'BEGIN {exit !(a < b)}'; then
      local bytes rows_in rows_out
      bytes=$(cat "$work"/sluice.db* | wc -c)
      rows_in=$(sqlite3 "$work/sluice.db" "SELECT coalesce(sum(rows_in), 0) FROM _sluice_progress")
      rows_out=$(sqlite3 "$work/sluice.db" "SELECT count(*) FROM \"$q\"")
      best="$wall $user $sys $rss $bytes $rows_in $rows_out"
    fi
  done
  echo "$best"
}

# run_duckdb THREADS DIR QUERY RUNS -> "wall user sys rss_kb query_seconds
# rows" (best of RUNS by wall time), or "none" without duckdb/QUERY.sql.
run_duckdb() {
  local threads=$1 dir=$2 q=$3 n=$4 best= i out wall user sys rss
  [ -f "$here/duckdb/$q.sql" ] || { echo none; return; }
  cat "$here/duckdb/streams.sql" "$here/duckdb/$q.sql" | DIR=$dir envsubst '${DIR}' >"$work/duck.sql"
  for ((i = 0; i < n; i++)); do
    rm -f "$work"/duck.db*
    out=$(cd "$root/bench" && timed "$work/t" node "$here/duckdb_run.mjs" "$threads" \
      "$work/duck.db" "$work/duck.sql") || { echo failed; return; }
    read -r wall user sys rss <"$work/t"
    if [ -z "$best" ] || awk -v a="$wall" -v b="${best%% *}" 'BEGIN {exit !(a < b)}'; then
      best="$wall $user $sys $rss $out"
    fi
  done
  echo "$best"
}

# sqlite_load DIR -> seconds to load the CSV files into $work/sqlite.db.
sqlite_load() {
  rm -f "$work"/sqlite.db*
  DIR=$1 envsubst '${DIR}' <"$queries_dir/streams/sqlite.sql" >"$work/load.sql"
  timed "$work/t" sqlite3 "$work/sqlite.db" <"$work/load.sql"
  cut -d' ' -f1 "$work/t"
}

# sqlite_query QUERY -> seconds of the oracle over the loaded tables, "none"
# without one, "> Ns" past the timeout.
sqlite_query() {
  [ -f "$queries_dir/$1.oracle.sql" ] || { echo none; return; }
  setup "$work/sqlite.db" "$1"
  if timeout "$sqlite_timeout" /usr/bin/time -f '%e' -o "$work/t" \
       sqlite3 "$work/sqlite.db" <"$queries_dir/$1.oracle.sql" >/dev/null 2>&1; then
    tail -1 "$work/t"
  else
    echo "> ${sqlite_timeout}"
  fi
}

# Formatting: f SECONDS, per A B (A / B rounded), ratio A B (A / B, 2 digits).
f() { printf '%.2f' "$1"; }
per() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.0f", (b > 0 ? a / b : 0)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }
mib() { awk -v b="$1" 'BEGIN {printf "%.1f MiB", b / 1048576}'; }

# within TIME BOUND -> "met" or "missed by N%".
within() { awk -v a="$1" -v b="$2" 'BEGIN {print (a <= b ? "met" : sprintf("missed by %.0f%%", 100 * (a / b - 1)))}'; }

# target QUERY -> the issue's per-core target: "N bids" (issue 14, bids per
# CPU-second) or "N events" (issue 16, generated events per CPU-second), or "".
target() {
  case $1 in
    q1 | q2) echo "5000000 bids" ;;
    q11 | q17) echo "3000000 bids" ;;
    q5 | q7) echo "1000000 events" ;;
    *) echo "" ;;
  esac
}

# verdict QUERY BIDS_PER_CPU_SECOND EVENTS_PER_CPU_SECOND -> "3 M bids/s: met",
# or "" without a target.
verdict() {
  local t unit v
  read -r t unit <<<"$(target "$1")"
  [ -n "$t" ] || return 0
  if [ "$unit" = events ]; then v=$3; else v=$2; fi
  awk -v v="$v" -v t="$t" -v u="$unit" 'BEGIN {printf "%d M %s/s: %s", t / 1e6, u, (v >= t ? "met" : sprintf("missed, %.0f%% of it", 100 * v / t))}'
}

# sluice_cells RESULT -> the table cells of one Sluice run.
sluice_cells() {
  local wall user sys rss bytes rows_in rows_out
  read -r wall user sys rss bytes rows_in rows_out <<<"$1"
  local cpu
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')
  echo "$rows_in | $(f "$wall") | $(per "$rows_in" "$wall") | $(per "$rows_in" "$cpu") | $((rss / 1024)) MiB | $(mib "$bytes") | $rows_out"
}

# The suite over one input: "input_table" rows in $work/INPUT.md.
suite_table() {
  local input=$1 dir=$2 q r rows_in cpu
  {
    echo
    echo "#### Input: $input"
    echo
    case $input in
      generator)
        echo "| query | rows in | seconds | rows in/s | rows in/CPU-s | peak RSS | DB size | rows out | events/CPU-s | target (per CPU-s) |"
        echo "|---|---|---|---|---|---|---|---|---|---|" ;;
      csv)
        echo "| query | rows in | seconds | rows in/s | rows in/CPU-s | peak RSS | DB size | rows out | DuckDB 1 thread s (rows) | Sluice's time / DuckDB 1t's | DuckDB $(nproc) threads s | sqlite3 load + query s |"
        echo "|---|---|---|---|---|---|---|---|---|---|---|---|" ;;
      *)
        echo "| query | rows in | seconds | rows in/s | rows in/CPU-s | peak RSS | DB size | rows out |"
        echo "|---|---|---|---|---|---|---|---|" ;;
    esac
  } >"$work/$input.md"
  [ "$input" = csv ] && sqlite_load_s=$(sqlite_load "$dir")
  for q in $queries; do
    echo "nexmark: $q on $input" >&2
    r=$(run_sluice "$input" "$dir" "$q" "$runs")
    if [ "$r" = failed ]; then
      echo "| $q | failed: $(head -c 200 "$work/$q.err" | tr '\n|' '  ') |" >>"$work/$input.md"
      continue
    fi
    echo "$r" >"$work/$input-$q.result"
    read -r wall user sys _ _ rows_in rows_out <<<"$r"
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')
    local row="| $q | $(sluice_cells "$r")"
    [ "$input" = generator ] &&
      row+=" | $(per "$gen_events" "$cpu") | $(verdict "$q" "$(per "$rows_in" "$cpu")" "$(per "$gen_events" "$cpu")")"
    if [ "$input" = csv ]; then
      local d1 dn sq
      d1=$(run_duckdb 1 "$dir" "$q" "$runs")
      dn=$(run_duckdb "$(nproc)" "$dir" "$q" "$runs")
      sq=$(sqlite_query "$q")
      row+=" | $(duck_cell "$d1" "$rows_out") | $(duck_ratio "$wall" "$d1") | $(duck_cell "$dn")"
      row+=" | $( [ "$sq" = none ] && echo - || echo "$(f "$sqlite_load_s") + $sq")"
    fi
    echo "$row |" >>"$work/$input.md"
  done
}

# duck_cell RESULT [SLUICE_ROWS] -> the seconds of a DuckDB run, or "-"; with
# SLUICE_ROWS also its rows, marked when they are not as many as Sluice's.
duck_cell() {
  case $1 in none) echo - ;; failed) echo failed ;; *)
    read -r wall _ _ _ _ rows <<<"$1"
    if [ -z "${2:-}" ]; then f "$wall"
    elif [ "$rows" = "$2" ]; then echo "$(f "$wall") ($rows)"
    else echo "$(f "$wall") ($rows, **not Sluice's $2**)"; fi ;;
  esac
}

# duck_ratio SLUICE_WALL RESULT -> Sluice's time over DuckDB's (below 1: Sluice faster).
duck_ratio() {
  case $2 in none | failed) echo - ;; *) ratio "$1" "${2%% *}" ;; esac
}

file_dir=$(inputs "$file_events" csv json)
suite_table generator ""
suite_table csv "$file_dir"
suite_table json "$file_dir"

# The sections after the suite's tables, unless NEXMARK_SUITE_ONLY is set (a
# focused run: NEXMARK_QUERIES="q5 q7" NEXMARK_SUITE_ONLY=1 bench/nexmark/run.sh).
wc_line='Word count against the coreutils pipeline (target: >= 5x): the "Word count" section of this run (bench/run.sh).'
if [ -n "${NEXMARK_SUITE_ONLY:-}" ]; then
  wc_line=
  : >"$work/headline.md"
  : >"$work/partitions.md"
  q0_line="NEXMARK_SUITE_ONLY: the suite's tables only (no headline, partitions, insert loop, word count or latency)."
  wordcount_md=
  latency_md=
else
  # Partition counts the headline, q7 and q17 run with (WITH (partitions = n)).
  partitions="1 2"

  # The headline: q17 from the CSV file of 5 M bids against DuckDB.
  headline_dir=$(inputs "$headline_events" csv)
  echo "nexmark: the headline, q17 over $headline_dir/bid.csv" >&2
  {
    echo
    echo "#### Headline: q17 from the CSV file, $(wc -l <"$headline_dir/bid.csv") bids ($(mib "$(stat -c %s "$headline_dir/bid.csv")")), best of $headline_runs"
    echo
    echo "| run | seconds | user + sys s | peak RSS | result rows | Sluice's time / this |"
    echo "|---|---|---|---|---|---|"
  } >"$work/headline.md"
  declare -A sluice_s duck_s # seconds by partitions / threads
  for p in $partitions; do
    r=$(run_sluice csv "$headline_dir" q17 "$headline_runs" "$p")
    [ "$r" = failed ] && { echo "| Sluice, partitions: $p | failed |" >>"$work/headline.md"; continue; }
    read -r wall user sys rss _ _ rows <<<"$r"
    sluice_s[$p]=$wall
    echo "| Sluice, partitions: $p | $(f "$wall") | $(f "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')") | $((rss / 1024)) MiB | $rows | |" >>"$work/headline.md"
  done
  sluice_one=${sluice_s[1]:-0}
  sluice_two=${sluice_s[2]:-0}
  for threads in 1 2; do
    r=$(run_duckdb "$threads" "$headline_dir" q17 "$headline_runs")
    [ "$r" = failed ] && { echo "| DuckDB, threads = $threads | failed |" >>"$work/headline.md"; continue; }
    read -r wall user sys rss query_s rows <<<"$r"
    duck_s[$threads]=$wall
    sl=$([ "$threads" = 1 ] && echo "$sluice_one" || echo "$sluice_two")
    echo "| DuckDB, threads = $threads (query alone: $(f "$query_s") s) | $(f "$wall") | $(f "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')") | $((rss / 1024)) MiB | $rows | $(ratio "$sl" "$wall") |" >>"$work/headline.md"
  done
  duck_1=${duck_s[1]:-0}
  duck_2=${duck_s[2]:-0}
  load_s=$(sqlite_load "$headline_dir")
  query_s=$(sqlite_query q17)
  echo "| sqlite3 CLI: .import, then the oracle | $(f "$load_s") + $query_s | | | | |" >>"$work/headline.md"
  cat >>"$work/headline.md" <<MD

Targets: Sluice with one partition at most DuckDB's one-thread time: $(ratio "$sluice_one" "$duck_1")x, $(within "$sluice_one" "$duck_1");
with two partitions at most DuckDB's two-thread time: $(ratio "$sluice_two" "$duck_2")x, $(within "$sluice_two" "$duck_2").
Times are whole processes: DuckDB's include node's start-up, loading the library and the checkpoint
of its database file at close (its statements alone in brackets).
MD

  # Two partitions against one, from the generator (target >= 1.7x).
  {
    echo
    echo "#### Partitions, from the generator ($gen_events events)"
    echo
    echo "| query | 1 partition s | 2 partitions s | speed-up | target |"
    echo "|---|---|---|---|---|"
  } >"$work/partitions.md"
  for q in q7 q17; do
    one=$(run_sluice generator "" "$q" "$runs" 1)
    two=$(run_sluice generator "" "$q" "$runs" 2)
    up=$(ratio "${one%% *}" "${two%% *}")
    echo "| $q | $(f "${one%% *}") | $(f "${two%% *}") | ${up}x | >= 1.7x ($(awk -v u="$up" 'BEGIN {print (u >= 1.7 ? "met" : "missed")}')) |" >>"$work/partitions.md"
  done

  # q0 against a bare C loop inserting the same rows (target: >= 80%).
  # sl_insert_baseline (bench/insert_baseline.c) inserts q0's columns of the bids of the same generator settings
  # into SQLite, one prepared statement and one transaction a batch, timing only
  # BEGIN..COMMIT, and prints "rows=... batch=... seconds=... rows_per_s=...".
  # Sluice's q0 is the generator row of the table above: its whole process,
  # generating the bids included.
  baseline=$root/$build/sl_insert_baseline
  if [ -x "$baseline" ] && [ -s "$work/generator-q0.result" ]; then
    "$baseline" --events "$gen_events" --rate "$rate" --seed "$seed" --runs "$runs" \
      --db "$work/insert.db" >"$work/insert.out"
    loop_rate=$(sed -n 's/.*rows_per_s=\([0-9.]*\).*/\1/p' "$work/insert.out")
    read -r wall _ _ _ _ rows_in _ <"$work/generator-q0.result"
    q0_rate=$(per "$rows_in" "$wall")
    q0_line="q0 from the generator (the whole process): $q0_rate rows/s against the bare insert loop's $(printf '%.0f' "$loop_rate")
  (its BEGIN..COMMIT only): \`$(cat "$work/insert.out")\`; Sluice is at **$(awk -v a="$q0_rate" -v b="$loop_rate" 'BEGIN {printf "%.0f%%", 100 * a / b}')**
  of its speed (target: >= 80%)."
  else
    q0_line="q0 against the bare insert loop: not measured (no $build/sl_insert_baseline in this build, or q0 not run)."
  fi

  # Word count's memory over 10 M and 100 M words (bench-full): the suite's
  # wordcount.sql over sl_textgen text, about 6.7 bytes a word.
  wordcount_md=
  for words in $wordcount_words; do
    dir=$data/nexmark/words-$words
    mkdir -p "$dir"
    [ -s "$dir/words.txt" ] || { "$root/$build/sl_textgen" $((words * 20 / 3)) 100000 42 >"$dir/words.tmp" && mv "$dir/words.tmp" "$dir/words.txt"; }
    r=$(run_sluice text "$dir" wordcount 1)
    read -r wall _ _ rss _ _ rows <<<"$r"
    counted=$(sqlite3 "$work/sluice.db" "SELECT sum(n) FROM wordcount")
    wordcount_md+="| $counted | $(f "$wall") | $(per "$counted" "$wall") | $((rss / 1024)) MiB | $rows |"$'\n'
  done
  [ -z "$wordcount_md" ] || wordcount_md=$'\n#### Word count memory\n\n| words | seconds | words/s | peak RSS | distinct words |\n|---|---|---|---|---|\n'"$wordcount_md"

  latency_md=$("$here/latency.sh" "$build")
fi

# RESULTS.md itself is left out: the benchmarks run before this one append to it.
commit=$(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- . ':!bench/RESULTS.md' ||
  echo " (with uncommitted changes)")
report=$(cat <<MD

## Nexmark, $started_at ($(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), commit $commit)

Command: \`$(if [ -n "${NEXMARK_SUITE_ONLY:-}" ]; then echo "NEXMARK_QUERIES=\"$queries\" NEXMARK_SUITE_ONLY=1 bench/nexmark/run.sh $build"
  elif [ -n "${NEXMARK_FULL:-}" ]; then echo "make bench-full"; else echo "make bench"; fi)\` (bench/nexmark/run.sh $build), with
\`NEXMARK_EVENTS=$gen_events NEXMARK_FILE_EVENTS=$file_events NEXMARK_HEADLINE_EVENTS=$headline_events
NEXMARK_RUNS=$runs NEXMARK_HEADLINE_RUNS=$headline_runs NEXMARK_RATE=$rate NEXMARK_SEED=$seed${NEXMARK_DIR:+ NEXMARK_DIR=$NEXMARK_DIR}\`.
Inputs: \`sluice nexmark --events N --kind bid|auction|person --format csv|json --rate $rate --seed $seed\`
files in bench/data/nexmark/, and \`FROM NEXMARK\` with the same events, rate and seed
(bench/nexmark/streams/). Load average before: $load_before; the machine is shared with
other sessions' builds and benchmarks, so figures are noisy: compare ratios within this run.
rows in/CPU-s is the rows the query read (bids; with a join, also the other stream's rows) over
the process's user + sys seconds, the per-core figure issue 14's targets (in bids) are about;
events/CPU-s is the events the generator made (all kinds) over the same seconds, issue 16's. DuckDB (@duckdb/node-api $(sed -n 's/^ *"version": "\(.*\)",/\1/p' "$root/bench/node_modules/@duckdb/node-api/package.json"))
runs bench/nexmark/duckdb/qN.sql into a database file; sqlite3 $(sqlite3 --version | cut -d' ' -f1) runs the suite's qN.oracle.sql.
$(cat "$work/generator.md" "$work/csv.md" "$work/json.md" "$work/headline.md" "$work/partitions.md")

$q0_line
$wc_line
$wordcount_md
$latency_md
MD
)
echo "$report"
echo "$report" >>"$root/bench/RESULTS.md"
