#!/usr/bin/env bash
# A stream's log that no query has read past max_log_bytes pauses its
# source: a socket stops being read, so the sender blocks (TCP pushes back)
# and neither the database nor the process grows. SHOW STREAMS says so,
# with the log's size. Here the query's batch never ends (TRIGGER EVERY 1
# HOUR), so it never records its place and the log is never trimmed.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

# Sends lines as fast as the peer takes them; writes how many bytes were taken to sent.txt.
cat >server.py <<'PY'
import socket, sys, os
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(1)
open(sys.argv[1] + ".tmp", "w").write(str(srv.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
c, _ = srv.accept()
block = "".join("%d,payload-%d\n" % (i, i) for i in range(2000)).encode()
sent = 0
while True:
    c.sendall(block)
    sent += len(block)
    open("sent.tmp", "w").write(str(sent))
    os.rename("sent.tmp", "sent.txt")
PY
python3 server.py "$WORK/port" &
BG_PIDS+=($!)
for _ in $(seq 200); do [ -s "$WORK/port" ] && break; sleep 0.05; done
port=$(cat "$WORK/port")

mkfifo repl.in
"$SLUICE" --db db <repl.in >repl.out 2>repl.err &
pid=$!
BG_PIDS+=($pid)
exec 3>repl.in
cat >&3 <<SQL
CREATE STREAM s (n INTEGER, p TEXT) FROM SOCKET '127.0.0.1:$port' FORMAT CSV WITH (max_log_bytes = 1048576);
CREATE QUERY c AS SELECT count(*) AS n FROM s TRIGGER EVERY 1 HOUR;
SQL
# Wait until the sender is blocked: what it sent stops growing for a second.
last=-1
for _ in $(seq 100); do
  sleep 1
  now=$(cat sent.txt 2>/dev/null || echo 0)
  [ "$now" = "$last" ] && [ "$now" -gt 0 ] && break
  last=$now
done
[ "$now" = "$last" ] || fail "the sender never blocked: $now bytes sent"
rss() { awk '/VmRSS/ {print $2}' /proc/$pid/status; }
rss1=$(rss)
sleep 2
rss2=$(rss)
sent=$(cat sent.txt)
# The log's limit, the group commit in flight and the kernel's socket buffers: far below 64 MiB.
[ "$sent" -lt $((64 << 20)) ] || fail "the sender got $sent bytes through"
[ "$rss2" -le $((rss1 + 1024)) ] || fail "memory grew while paused: $rss1 kB -> $rss2 kB"
log_bytes=$(sqlite3 db "SELECT sum(length(data)) FROM _sluice_log")
[ "$log_bytes" -lt $((8 << 20)) ] || fail "the log holds $log_bytes bytes"
echo "SHOW STREAMS;" >&3
for _ in $(seq 50); do grep -q "paused" repl.out && break; sleep 0.2; done
grep -q "paused: the log is over max_log_bytes" repl.out || { cat repl.out repl.err; fail "SHOW STREAMS does not say the stream is paused"; }
grep -q "its log holds .* bytes no query has read, over max_log_bytes" repl.err || { cat repl.err; fail "no warning logged"; }
echo "ok: sender blocked after $sent bytes, log $log_bytes bytes, RSS $rss1 -> $rss2 kB"
# A graceful stop while paused: the batch commits, the ingest stops.
kill -TERM $pid
wait $pid || { cat repl.err; fail "the stop failed"; }
exec 3>&-
echo "1 passed, 0 failed"
