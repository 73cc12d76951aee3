#!/usr/bin/env bash
# make bench (HTTP part): rows/s that `sluice run` takes through HTTP LISTEN
# and the latency of each POST's acknowledgement (its answer 200 comes after
# the commit of its rows), with 1,000-row NDJSON bodies of Nexmark-bid-shaped
# records. sl_http_load (tests/tools) runs CLIENTS threads, each with a
# kept-alive connection posting the body REQUESTS times; sluice is pinned to
# core 0 and the load to core 1 on a machine with two. A 200 comes after the
# ingest's group commit of the body to the stream's log (a few ms); the query
#   SELECT auction, COUNT(*) AS bids, MAX(price) AS top FROM bids GROUP BY auction
# reads the log every TRIGGER, and its table's SUM(bids) must reach the rows
# acknowledged. Appends a dated section to bench/RESULTS.md.
source "$(dirname "$0")/lib.bash"
clients=${BENCH_HTTP_CLIENTS:-8}
requests=${BENCH_HTTP_REQUESTS:-100}
trigger=${BENCH_HTTP_TRIGGER:-50 MILLISECONDS}
rows=1000
load_before=$(cut -d' ' -f1 /proc/loadavg)

core0=() core1=()
if [ "$(nproc)" -ge 2 ]; then core0=(taskset -c 0) core1=(taskset -c 1); fi

mawk -v n="$rows" 'BEGIN { srand(42); for (i = 0; i < n; i++)
  printf "{\"auction\":%d,\"bidder\":%d,\"price\":%d,\"ts\":\"2026-01-01 00:00:%02d.%06d\"}\n",
    1000 + int(rand() * 1000), int(rand() * 100000), int(rand() * 10000), i % 60, i * 997 % 1000000 }' >"$work/body.ndjson"
cat >"$work/q.sql" <<SQL
CREATE STREAM bids (auction BIGINT, bidder BIGINT, price BIGINT, ts TIMESTAMP)
  FROM HTTP LISTEN '127.0.0.1:0' PATH '/bids' FORMAT JSON;
CREATE QUERY per_auction AS
  SELECT auction, COUNT(*) AS bids, MAX(price) AS top FROM bids GROUP BY auction
  TRIGGER EVERY $trigger;
SQL
"${core0[@]}" "$root/$build/sluice" run --db "$work/db" "$work/q.sql" 2>"$work/sluice.err" &
pid=$!
# The query is stopped below; this only covers an early exit (a failed kill must not fail the run).
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
port=""
for _ in $(seq 600); do
  port=$(grep -o 'listening on 127\.0\.0\.1:[0-9]*' "$work/sluice.err" | sed 's/.*://') && [ -n "$port" ] && break
  sleep 0.05
done
[ -n "$port" ] || { cat "$work/sluice.err" >&2; echo "bench: sluice did not listen" >&2; exit 1; }

result=$("${core1[@]}" "$root/$build/sl_http_load" "http://127.0.0.1:$port/bids" "$work/body.ndjson" \
  "$rows" "$clients" "$requests")
read -r _ bodies _ total _ seconds _ rps _ p50 _ p99 _ pmax _ retries <<<"$result"
counted=""
for _ in $(seq 600); do
  counted=$(sqlite3 "$work/db" 'SELECT SUM(bids) FROM per_auction') && [ "$counted" = "$total" ] && break
  sleep 0.1
done
[ "$counted" = "$total" ] || { echo "bench: $total rows acknowledged, $counted counted" >&2; exit 1; }
kill -TERM $pid
wait $pid

report=$(cat <<MD

## HTTP ingest, $(date -u '+%Y-%m-%d %H:%M UTC') ($(nproc) cores, $(uname -m), load average $load_before before)

Command: \`bench/http_ingest.sh\` (in \`make bench\`): $clients clients (sl_http_load, kept-alive
connections, core 1) POST a $rows-row NDJSON body of Nexmark-bid-shaped records $requests times
each to \`FROM HTTP LISTEN ... FORMAT JSON\` (sluice on core 0), read into the stream's log; a
query groups the log by auction every $trigger. Latency: from a POST's start to its 200, which
comes after the group commit of the body to the log.

| bodies | rows | seconds | rows/s | p50 ack | p99 ack | max ack | 503 retries |
|---|---|---|---|---|---|---|---|
| $bodies | $total | $seconds | $rps | $p50 ms | $p99 ms | $pmax ms | $retries |
MD
)
echo "$report"
echo "$report" >>"$root/bench/RESULTS.md"
