# Helpers for the HTTP LISTEN e2e scripts (sourced, not a test itself: ctest
# runs only *.sh): sluice listening on a port the kernel chose (the stream
# is declared on 127.0.0.1:0 and the port read from its log line), NDJSON
# bodies, and senders that POST them with curl and write down each answer.
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"

# start_http_sluice DB SQL: runs `sluice run --db DB SQL` in the background
# (stderr in $WORK/sluice.err), waits for its "listening on" line; sets
# SLUICE_PID and HTTP_URL (the stream's PATH must be /ingest).
start_http_sluice() {
  "$SLUICE" run --db "$1" "$2" 2>"$WORK/sluice.err" &
  SLUICE_PID=$!
  BG_PIDS+=("$SLUICE_PID")
  local port=""
  for _ in $(seq 600); do
    port=$(grep -o 'listening on 127\.0\.0\.1:[0-9]*' "$WORK/sluice.err" | head -1 | sed 's/.*://') || true
    [ -n "$port" ] && break
    kill -0 "$SLUICE_PID" 2>/dev/null || break
    sleep 0.05
  done
  [ -n "$port" ] || { cat "$WORK/sluice.err"; fail "sluice did not start listening"; }
  HTTP_URL="http://127.0.0.1:$port/ingest"
}

# stop_http_sluice: SIGTERM, and sluice must exit cleanly.
stop_http_sluice() {
  kill -TERM "$SLUICE_PID"
  wait "$SLUICE_PID" || { cat "$WORK/sluice.err"; fail "sluice did not stop cleanly"; }
}

# make_bodies DIR CLIENTS BODIES ROWS: DIR/c<c>_b<b>.ndjson, ROWS rows each:
# {"client":c,"body":b,"seq":i,"name":"..."}.
make_bodies() {
  mkdir -p "$1"
  python3 - "$@" <<'PY'
import sys
d, clients, bodies, rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
for c in range(1, clients + 1):
    for b in range(1, bodies + 1):
        with open(f"{d}/c{c}_b{b}.ndjson", "w") as f:
            for i in range(rows):
                f.write(f'{{"client":{c},"body":{b},"seq":{i},"name":"row {i} of body {b}"}}\n')
PY
}

# post FILE [curl options...]: POSTs FILE to HTTP_URL; prints "<status> <answer body>",
# and " retry-after=<value>" when the answer has one. A connection that
# fails (sluice killed) prints status 000.
post() {
  local file=$1 resp status body
  shift
  resp=$(curl -s --max-time 60 -w '\n%{http_code} %header{retry-after}' "$@" \
    --data-binary @"$file" "$HTTP_URL") || true
  status=${resp##*$'\n'}
  body=${resp%$'\n'*}
  [ "$body" != "$resp" ] || body=""
  local code=${status%% *} retry=${status#* }
  echo "${code:-000} ${body//$'\n'/}${retry:+ retry-after=$retry}"
}

# sender C BODIES DIR LOG [curl options...]: POSTs DIR/c<C>_b1..BODIES in
# order, each until it is answered other than 503 (which asks to retry
# after a second; waiting 0.1-0.3 s is enough here); appends
# "<client> <body> <status> <answer>" per final answer to LOG, and a line
# per 503 to LOG.503.
sender() {
  local c=$1 n=$2 dir=$3 log=$4 b answer
  shift 4
  for b in $(seq "$n"); do
    for _ in $(seq 300); do
      answer=$(post "$dir/c${c}_b${b}.ndjson" "$@")
      [ "${answer%% *}" = 503 ] || break
      echo "$c $b $answer" >>"$log.503"
      sleep "0.$((1 + RANDOM % 3))"
    done
    echo "$c $b $answer" >>"$log"
  done
}

# wait_for DB SQL WANT: polls until sqlite3 answers SQL with WANT (a 200 means
# the body is in the stream's log; each query reads it from there on its own
# trigger); fails after a minute with what it last answered.
wait_for() {
  local got=""
  for _ in $(seq 1200); do
    got=$(sqlite3 "$1" "$2" 2>/dev/null) && [ "$got" = "$3" ] && return 0
    sleep 0.05
  done
  fail "waited a minute for '$2' to be '$3'; it is '$got'"
}

# rows_acknowledged LOG: the sum of "rows" over the 200 answers in LOG.
rows_acknowledged() {
  awk '$3 == 200 { if (match($0, /"rows":[0-9]+/)) s += substr($0, RSTART + 7, RLENGTH - 7) } END { print s + 0 }' "$1"
}
