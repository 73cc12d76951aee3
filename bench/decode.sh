#!/usr/bin/env bash
# make bench (decode): MB/s and rows/s on one core of each way to decode
# Nexmark bids (nexmark.md) into their 7 typed columns, from decode_bench:
# the engine's TEXT, CSV and JSON decoders, the CSV decoder without its fast
# path (every record through libcsv: the baseline), JSON through jansson,
# json-c (when libjson-c-dev is installed) and connectors/json_scan.c, and as
# a bound for the CSV fast path, lines split at commas in place; each best of
# BENCH_RUNS runs over BENCH_BIDS bids held in memory, and each against the
# libcsv baseline of the same run. Then `sluice run` end to end over the same
# bids as a CSV file: a tumbling window, and a bare COUNT(*) for the cost of
# the rest of the path. Targets (issue 12): CSV >= 400 MB/s, JSON >= 250 MB/s.
# Appends a dated section to bench/RESULTS.md.
source "$(dirname "$0")/lib.bash"
bids=${BENCH_BIDS:-1000000}
runs=${BENCH_RUNS:-5}
bench=$root/$build/decode_bench

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
"$bench" --rows "$bids" --runs "$runs" >"$work/figures.tsv"

csv_file=$data/bids-$bids.csv
[ -s "$csv_file" ] || "$bench" --rows "$bids" --write-csv "$csv_file"
csv_bytes=$(stat -c %s "$csv_file")

# run_sluice QUERY -> seconds (best of two); the result must count every bid.
run_sluice() {
  local best=
  for _ in 1 2; do
    rm -f "$work"/db*
    cat >"$work/q.sql" <<SQL
CREATE STREAM bids (auction BIGINT, bidder BIGINT, price BIGINT, channel TEXT, url TEXT,
  date_time TIMESTAMP, extra TEXT, WATERMARK FOR date_time AS date_time - INTERVAL '1' SECOND)
  FROM FILE '$csv_file' FORMAT CSV;
CREATE QUERY q AS $1;
SQL
    local start end t
    start=$(date +%s.%N)
    "$root/$build/sluice" run --db "$work/db" "$work/q.sql" 2>/dev/null
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc -l)
    [ "$(sqlite3 "$work/db" 'SELECT sum(n) FROM q')" -eq "$bids" ] ||
      { echo "bench: sluice did not count every bid" >&2; exit 1; }
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" -eq 1 ]; then best=$t; fi
  done
  echo "$best"
}
t_window=$(run_sluice "SELECT auction, COUNT(*) AS n, MAX(price) AS top FROM bids GROUP BY auction
  WINDOW TUMBLING (SIZE 10 SECONDS) EMIT FINAL")
t_count=$(run_sluice "SELECT COUNT(*) AS n FROM bids")
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

f() { printf '%.2f' "$1"; }
mbps_of() {
  local bytes secs
  read -r _ bytes _ secs < <(grep -P "^$1\t" "$work/figures.tsv")
  echo "$bytes / 1000000 / $secs" | bc -l
}
csv_mbps=$(mbps_of csv)
base_mbps=$(mbps_of csv-libcsv)
declare -A what=(
  [text]="engine TEXT decoder (one TEXT column), CSV lines"
  [csv]="engine CSV decoder (fast path, libcsv for quotes), CSV lines"
  [csv-libcsv]="engine CSV decoder, every record through libcsv (the baseline), CSV lines"
  [json]="engine JSON decoder (FORMAT JSON), NDJSON lines"
  [csv-split]="CSV lines split at commas in place, same conversions (a bound for a CSV fast path)"
  [jansson]="JSON: jansson \`json_loadb\` per line + \`json_object_get\`"
  [json-c]="JSON: json-c \`json_tokener\` (strict, UTF-8 checked) + lookups"
  [scan]="JSON: connectors/json_scan.c, no tree"
  [scan-only]="JSON: json_scan.c validating and finding keys, no columns"
)
rows=""
while IFS=$'\t' read -r name bytes n secs; do
  mbps=$(echo "$bytes / 1000000 / $secs" | bc -l)
  rows+="| ${what[$name]} | $(f "$(echo "$bytes / $n" | bc -l)") | $(f "$mbps") | $(printf '%.0f' "$(echo "$n / $secs" | bc -l)") | $(f "$(echo "$mbps / $base_mbps" | bc -l)")x |"$'\n'
done <"$work/figures.tsv"
e2e() { echo "| \`sluice run\` FROM FILE FORMAT CSV, $1 | $(f "$2") | $(f "$(echo "$csv_bytes / 1000000 / $2" | bc -l)") | $(printf '%.0f' "$(echo "$bids / $2" | bc -l)") |"; }

report=$(cat <<MD

## Decode throughput, $(date -u '+%Y-%m-%d %H:%M UTC') ($(nproc) cores, $(uname -m))

Command: \`make bench\` (bench/decode.sh: \`decode_bench --rows $bids --runs $runs\`): $bids Nexmark
bids (auction, bidder, price BIGINT; channel, url TEXT; date_time TIMESTAMP; extra TEXT) in memory,
as CSV lines and as NDJSON lines, decoded on one core into chunks of 2048 rows, best of $runs runs;
every way but TEXT and scan-only gave the CSV decoder's columns exactly. Load average $load_before before,
$load_after after.

| decoder | bytes/row | MB/s | rows/s | MB/s vs libcsv baseline |
|---|---|---|---|---|
${rows%$'\n'}

End to end over the same bids as a $(f "$(echo "$csv_bytes / 1000000" | bc -l)") MB CSV file (best of two):

| | seconds | MB/s | bids/s |
|---|---|---|---|
$(e2e "tumbling 10 s window, COUNT and MAX per auction" "$t_window")
$(e2e "\`SELECT COUNT(*)\`" "$t_count")

Targets: CSV decoder $(f "$csv_mbps") MB/s against 400 ($(f "$(echo "$csv_mbps / $base_mbps" | bc -l)")x the libcsv
baseline's $(f "$base_mbps")); the JSON figures above against 250.
MD
)
echo "$report"
echo "$report" >>"$root/bench/RESULTS.md"
