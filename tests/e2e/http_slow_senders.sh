#!/usr/bin/env bash
# HTTP LISTEN against senders that hold connections (issue 17): 20 senders
# (max_connections) each start a 500 KB body and trickle it a byte at a
# time; one more is turned away as it connects; once they stall, each is
# closed after idle_timeout, its part dropped (nothing of it counted) and its
# slot free again, so a later sender's body is answered 200 and counted.
# The bodies in the making are bounded by max_queued_bytes: peak RSS stays
# low.
source "$(dirname "$0")/http.bash"

cat >"$WORK/q.sql" <<'SQL'
CREATE STREAM events (client BIGINT, seq BIGINT)
  FROM HTTP LISTEN '127.0.0.1:0' PATH '/ingest' FORMAT JSON
  WITH (max_connections = 20, idle_timeout = '1 second', max_queued_bytes = 4194304,
        max_body_bytes = 1048576);
CREATE QUERY received AS SELECT client, COUNT(*) AS n FROM events GROUP BY client
  TRIGGER EVERY 100 MILLISECONDS;
SQL
start_http_sluice "$WORK/db" "$WORK/q.sql"
port=${HTTP_URL#http://127.0.0.1:}
port=${port%%/*}

python3 - "$port" "$(dirname "$0")/helpers" >"$WORK/senders.txt" <<'PY'
import socket, sys, time, urllib.request
port = int(sys.argv[1])
sys.path.insert(0, sys.argv[2])
from peer import closed
body = b"".join(b'{"client":9,"seq":%d}\n' % i for i in range(30000))[:500000]
head = (b"POST /ingest HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\n"
        b"Content-Length: %d\r\n\r\n" % len(body))
slow = []
for _ in range(20):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(head + body[:100000])
    slow.append(s)
# They trickle for 2 seconds, past idle_timeout, and are not closed: they are not idle.
at = 100000
for _ in range(20):
    for s in slow:
        s.sendall(body[at:at + 1])
    at += 1
    time.sleep(0.1)
print("trickling closed", sum(closed(s, 0.01) for s in slow))
extra = socket.create_connection(("127.0.0.1", port))
extra.sendall(b'POST /ingest HTTP/1.1\r\nHost: x\r\nContent-Length: 22\r\n\r\n{"client":8,"seq":1}\n\n')
print("extra closed", closed(extra, 2))
# Now they stall: closed after idle_timeout.
time.sleep(1.5)
print("stalled closed", sum(closed(s, 2) for s in slow))
req = urllib.request.Request("http://127.0.0.1:%d/ingest" % port,
                             data=b'{"client":1,"seq":1}\n{"client":1,"seq":2}\n{"client":1,"seq":3}\n')
with urllib.request.urlopen(req, timeout=10) as r:
    print("late", r.status, r.read().decode().strip())
PY
diff - "$WORK/senders.txt" <<'OUT' || fail "not the expected closes and answers"
trickling closed 0
extra closed True
stalled closed 20
late 200 {"rows":3,"dead_letters":0}
OUT
for _ in $(seq 100); do
  got=$(sqlite3 "$WORK/db" "SELECT group_concat(client || '|' || n) FROM received" 2>/dev/null || true)
  [ "$got" = "1|3" ] && break
  sleep 0.1
done
[ "$got" = "1|3" ] || { cat "$WORK/sluice.err"; fail "counted: $got, not 1|3 alone"; }
rss=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$SLUICE_PID/status")
stop_http_sluice
# Under ASan freed memory sits in its quarantine, so RSS says nothing there.
case $(ldd "$SLUICE") in
  *libasan*) ;;
  *) [ "$rss" -lt 81920 ] || fail "peak RSS $rss KB" ;;
esac
# Said as the reader notices them (perhaps in more than one line): 20 in all.
grep -Eq "http 127.0.0.1:0: [0-9]+ senders? stalled in the middle of a request past idle_timeout \(1 SECOND\): closed, the bodies dropped \(20 in all\)" "$WORK/sluice.err" ||
  { cat "$WORK/sluice.err"; fail "no log line for the stalled senders"; }
echo "ok: 20 trickling senders held max_connections, one more turned away; stalled, they were closed at idle_timeout and a later body counted (peak RSS $rss KB)"
