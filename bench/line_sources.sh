#!/usr/bin/env bash
# Line-per-record push sources in: SOCKET LISTEN with 8 senders writing
# 500,000 CSV lines each at once, and URL streaming 2,000,000 NDJSON lines in
# one chunked response from a local Python server; each into a GROUP BY with
# 100 ms batches. Rows/s is the rows over the time from the first batch with
# rows to the last; the same lines read FROM FILE are the baseline (the
# source's cost is the difference), each through the stream's log (the
# default) and with log = false. Appends a dated section to bench/RESULTS.md.
source "$(dirname "$0")/lib.bash"
sluice=$root/$build/sluice
senders=8
per_sender=500000
events=2000000

# rate DB: "rows seconds rows/s" over the batches that had rows.
rate() {
  sqlite3 "$1" "SELECT sum(rows_in), round((max(julianday(started)) - min(julianday(started))) * 86400
    + max(duration_ms) / 1000.0, 2) FROM _sluice_progress WHERE rows_in > 0" |
    awk -F'|' '{printf "%d %.2f %.0f\n", $1, $2, $1 / $2}'
}

# wait_count DB TABLE N: until the query counted N rows (120 s at most).
wait_count() {
  for _ in $(seq 2400); do
    [ "$(sqlite3 "$1" "SELECT coalesce(sum(n), 0) FROM $2" 2>/dev/null || echo 0)" -ge "$3" ] && return 0
    sleep 0.05
  done
  echo "bench: $2 did not reach $3 rows" >&2
  exit 1
}

# file_rate CSV|JSON FILE COLUMNS GROUP: the same lines FROM FILE, "rows seconds rows/s".
file_rate() {
  cat >"$work/file.sql" <<SQL
CREATE STREAM s ($3) FROM FILE '$2' FORMAT $1;
CREATE QUERY q AS SELECT $4, COUNT(*) AS n FROM s GROUP BY $4 TRIGGER EVERY 100 MILLISECONDS;
SQL
  rm -f "$work"/file.db*
  "$sluice" run --db "$work/file.db" "$work/file.sql" >/dev/null 2>&1
  rate "$work/file.db"
}

# SOCKET LISTEN: port 0, the port read from the log.
python3 -c "
import sys
with open('$work/listen.csv', 'wb') as f:
    for k in range($senders):
        f.write(b''.join(b'%d,%d\n' % (k, i) for i in range($per_sender)))"
# run_listen WITH NAME: the SOCKET LISTEN run, "rows seconds rows/s".
run_listen() {
cat >"$work/listen$2.sql" <<SQL
CREATE STREAM logs (sender_id BIGINT, seq BIGINT) FROM SOCKET LISTEN '127.0.0.1:0' FORMAT CSV$1;
CREATE QUERY per_sender AS SELECT sender, COUNT(*) AS n FROM logs GROUP BY sender
  TRIGGER EVERY 100 MILLISECONDS;
SQL
"$sluice" run --db "$work/listen$2.db" "$work/listen$2.sql" 2>"$work/listen$2.err" &
pid=$!
for _ in $(seq 300); do grep -q "listening on" "$work/listen$2.err" && break; sleep 0.1; done
port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/listen$2.err")
python3 - "$port" "$work/listen.csv" "$senders" <<'PY'
import socket, sys, threading
port, path, senders = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
lines = open(path, 'rb').read().splitlines(keepends=True)
per = len(lines) // senders
parts = [b''.join(lines[k * per:(k + 1) * per]) for k in range(senders)]
def send(k):
    s = socket.create_connection(('127.0.0.1', port)); s.sendall(parts[k]); s.close()
threads = [threading.Thread(target=send, args=(k,)) for k in range(senders)]
for t in threads: t.start()
for t in threads: t.join()
PY
wait_count "$work/listen$2.db" per_sender $((senders * per_sender))
kill -TERM "$pid"
wait "$pid"
rate "$work/listen$2.db"
}
read -r listen_rows listen_s listen_rate < <(run_listen "" log)
read -r dlisten_rows dlisten_s dlisten_rate < <(run_listen " WITH (log = false)" direct)
read -r lfile_rows lfile_s lfile_rate < <(file_rate CSV "$work/listen.csv" "sender_id BIGINT, seq BIGINT" sender_id)

# URL: one chunked response of prebuilt NDJSON, 1 MiB a chunk.
python3 -c "
with open('$work/events.ndjson', 'wb') as f:
    f.write(b''.join(b'{\"id\": %d, \"user\": \"u%d\", \"v\": %d}\n' % (i, i % 7, i) for i in range($events)))"
# run_url WITH NAME: the URL run, "rows seconds rows/s".
run_url() {
python3 - "$work/events.ndjson" "$work/url$2.port" <<'PY' &
import http.server, socketserver, sys, time
data = open(sys.argv[1], 'rb').read()
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def log_message(self, *a): pass
    def do_GET(self):
        self.send_response(200); self.send_header('Transfer-Encoding', 'chunked'); self.end_headers()
        for i in range(0, len(data), 1 << 20):
            c = data[i:i + (1 << 20)]
            self.wfile.write(b'%x\r\n%s\r\n' % (len(c), c))
        self.wfile.flush()
        time.sleep(600)
s = socketserver.TCPServer(('127.0.0.1', 0), H)
open(sys.argv[2], 'w').write(str(s.server_address[1]))
s.handle_request()
PY
server=$!
for _ in $(seq 300); do [ -s "$work/url$2.port" ] && break; sleep 0.1; done
cat >"$work/url$2.sql" <<SQL
CREATE STREAM ev (id BIGINT, "user" TEXT, v BIGINT)
  FROM URL 'http://127.0.0.1:$(cat "$work/url$2.port")/stream' FORMAT JSON$1;
CREATE QUERY per_user AS SELECT "user", COUNT(*) AS n FROM ev GROUP BY "user"
  TRIGGER EVERY 100 MILLISECONDS;
SQL
"$sluice" run --db "$work/url$2.db" "$work/url$2.sql" 2>/dev/null &
pid=$!
wait_count "$work/url$2.db" per_user "$events"
kill -TERM "$pid"
wait "$pid"
kill "$server" 2>/dev/null || true
rate "$work/url$2.db"
}
read -r url_rows url_s url_rate < <(run_url "" log)
read -r durl_rows durl_s durl_rate < <(run_url " WITH (log = false)" direct)
read -r ufile_rows ufile_s ufile_rate < <(file_rate JSON "$work/events.ndjson" 'id BIGINT, "user" TEXT, v BIGINT' '"user"')

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
report=$(cat <<MD

## Line sources in (SOCKET LISTEN, URL), $(date -u '+%Y-%m-%d %H:%M UTC') ($(nproc) cores, $(uname -m))

Command: \`bench/line_sources.sh\`. SOCKET LISTEN: $senders senders (Python, one
connection each) write $per_sender CSV lines \`k,i\` each at once; \`SELECT sender,
COUNT(*) FROM logs GROUP BY sender\`. URL: a Python server streams $events NDJSON lines
\`{"id": i, "user": "u<i%7>", "v": i}\` in one chunked response; \`SELECT "user", COUNT(*)
GROUP BY "user"\`, FORMAT JSON. Both with 100 ms batches; rows/s over the batches with rows
(first start to last end). The same lines FROM FILE in the same query shape are the baseline.

| | rows | seconds | rows/s | of FROM FILE's |
|---|---|---|---|---|
| SOCKET LISTEN, $senders senders, CSV, through the stream's log | $listen_rows | $listen_s | $listen_rate | $(ratio "$listen_rate" "$lfile_rate") |
| the same, \`log = false\` (the query reads the source itself) | $dlisten_rows | $dlisten_s | $dlisten_rate | $(ratio "$dlisten_rate" "$lfile_rate") |
| FROM FILE, the same CSV lines | $lfile_rows | $lfile_s | $lfile_rate | 1 |
| URL, one streaming response, JSON, through the stream's log | $url_rows | $url_s | $url_rate | $(ratio "$url_rate" "$ufile_rate") |
| the same, \`log = false\` | $durl_rows | $durl_s | $durl_rate | $(ratio "$durl_rate" "$ufile_rate") |
| FROM FILE, the same NDJSON lines | $ufile_rows | $ufile_s | $ufile_rate | 1 |

Machine: load average $(cut -d' ' -f1 /proc/loadavg) after.
MD
)
echo "$report"
echo "$report" >>"$root/bench/RESULTS.md"
