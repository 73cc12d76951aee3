#!/usr/bin/env bash
# FROM SOCKET LISTEN against senders that hold connections (issue 17): 100
# senders each push 256 KiB with no newline and then trickle a byte now and
# then; 50 connect and send nothing; one trickles whole lines a byte at a
# time; past max_senders more are closed as they connect. The process's
# memory stays bounded (max_record_bytes per sender), the unfinished senders
# are closed after record_timeout with a log line, freeing their slots for a
# later sender, the idle ones stay, one stuck mid-line leaves its part as a
# dead letter, and every complete line of the others is counted.
source "$(dirname "$0")/socket.bash"

cat >"$WORK/q.sql" <<SQL
CREATE STREAM logs (sender_id BIGINT, seq BIGINT)
  FROM SOCKET LISTEN '127.0.0.1:0' FORMAT CSV
  WITH (max_senders = 160, max_record_bytes = 4096, record_timeout = '2 seconds');
CREATE QUERY per_sender AS SELECT sender_id, COUNT(*) AS n, SUM(seq) AS total
  FROM logs GROUP BY sender_id TRIGGER EVERY 100 MILLISECONDS;
SQL
start_listen_sluice "$WORK/db" "$WORK/q.sql"

python3 - "$port" "$(dirname "$0")/helpers" >"$WORK/senders.txt" <<'PY'
import socket, sys, threading, time
port = int(sys.argv[1])
sys.path.insert(0, sys.argv[2])
from peer import closed
def connect():
    return socket.create_connection(("127.0.0.1", port))
hogs = [connect() for _ in range(100)]
idle = [connect() for _ in range(50)]
fast = connect()
trickle = connect()
stuck = connect()
# 153 connected: of 20 more, those past 160 are closed at once.
time.sleep(0.3)
extra = [connect() for _ in range(20)]
print("refused", sum(closed(e, 0.5) for e in extra))
# 100 senders: 256 KiB of one line, no newline (cut at max_record_bytes, the rest skipped).
for h in hogs:
    h.sendall(b"4," + b"x" * (1 << 18))
def dribble():
    for b in b"1,1\n1,2\n1,3\n":
        trickle.sendall(bytes([b]))
        time.sleep(0.05)
stuck.sendall(b"5,12")  # and nothing more: its 4 bytes are dropped at record_timeout
t = threading.Thread(target=dribble)
t.start()
fast.sendall(b"".join(b"2,%d\n" % i for i in range(100000)))
# The hogs keep trickling bytes of their unfinished line until they are closed.
deadline = time.time() + 8
while hogs and time.time() < deadline:
    for h in list(hogs):
        try:
            h.send(b"x")
        except OSError:
            hogs.remove(h)
            continue
        if closed(h, 0.001):
            hogs.remove(h)
    time.sleep(0.1)
print("hogs open", len(hogs))
t.join()
# Their slots are free again: a later sender gets in.
late = connect()
late.sendall(b"".join(b"3,%d\n" % i for i in range(1000)))
late.close()
fast.close()
trickle.close()
print("idle closed", sum(closed(s, 0.01) for s in idle))
print("stuck closed", closed(stuck, 0.01))
PY
cat "$WORK/senders.txt"
grep -qx "hogs open 0" "$WORK/senders.txt" || fail "senders with an unfinished line were not closed"
grep -qx "idle closed 0" "$WORK/senders.txt" || fail "idle senders were closed"
grep -qx "stuck closed True" "$WORK/senders.txt" || fail "the sender stuck mid-line was not closed"
refused=$(sed -n 's/^refused //p' "$WORK/senders.txt")
[ "$refused" -ge 1 ] || fail "no sender past max_senders was refused"

want='1|3|6
2|100000|4999950000
3|1000|499500'
for _ in $(seq 300); do
  got=$(sqlite3 "$WORK/db" "SELECT sender_id || '|' || n || '|' || total FROM per_sender WHERE sender_id < 4 ORDER BY 1" 2>/dev/null || true)
  [ "$got" = "$want" ] && break
  sleep 0.1
done
[ "$got" = "$want" ] || { echo "$got"; cat "$WORK/err"; fail "the other senders' lines"; }
# Peak memory: 25 MiB sent and never finished, at most max_record_bytes + a read each held.
rss=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/$pid/status)
kill -TERM "$pid"
wait "$pid" || { cat "$WORK/err"; fail "sluice run did not stop cleanly"; }
# Under ASan freed memory sits in its quarantine, so RSS says nothing there.
case $(ldd "$SLUICE") in
  *libasan*) ;;
  *) [ "$rss" -lt 81920 ] || fail "peak RSS $rss KB" ;;
esac
grep -q "160 senders are connected (max_senders): new ones are closed at once" "$WORK/err" ||
  { cat "$WORK/err"; fail "no log line for max_senders"; }
n=$(grep -c "left a record unfinished past record_timeout (2 SECONDS): its connection is closed, the 0 bytes of it held are dropped" "$WORK/err" || true)
[ "$n" = 100 ] || { tail "$WORK/err"; fail "$n record_timeout log lines, not 100"; }
grep -q "left a record unfinished past record_timeout (2 SECONDS): its connection is closed, the 4 bytes of it held are dropped" "$WORK/err" ||
  { tail "$WORK/err"; fail "no log line for the stuck sender"; }
[ "$(sqlite3 "$WORK/db" "SELECT count(*) FROM _sluice_dead_letters WHERE record = '5,12'")" = 1 ] ||
  fail "the stuck sender's part is not a dead letter"
echo "ok: 100 unfinished senders closed at record_timeout, $refused refused past max_senders, 50 idle kept, the rest counted (peak RSS $rss KB)"
