#!/usr/bin/env bash
# SOCKET LISTEN killed with SIGKILL again and again while a sender writes the
# numbers 1..N, reconnecting whenever the listener is gone (each connection
# goes on from where the last one's writes stopped): every number the engine
# acknowledged (committed to the stream's log) is counted exactly once;
# numbers in flight when a kill landed are lost, as with any socket.
source "$(dirname "$0")/lib.bash"
cd "$WORK"
helper="$(dirname "$0")/helpers/stream_log.py"
total=100000
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

cat >q.sql <<SQL
CREATE STREAM nums (n INTEGER) FROM SOCKET LISTEN '127.0.0.1:$port' FORMAT CSV;
CREATE QUERY seen AS SELECT n, count(*) AS c FROM nums GROUP BY n TRIGGER EVERY 50 MILLISECONDS;
SQL
cat >sender.py <<'PY'
import socket, sys, time
port, total, pause = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
nxt = 1
while nxt <= total:
    try:
        c = socket.create_connection(("127.0.0.1", port), timeout=5)
        while nxt <= total:
            upto = min(total, nxt + 99)
            c.sendall("".join("%d\n" % i for i in range(nxt, upto + 1)).encode())
            nxt = upto + 1
            time.sleep(pause)  # paced, so that kills land while it sends (ASan runs slowly)
        c.close()
    except OSError:
        time.sleep(0.05)
open("sender.done", "w").close()
PY
# A soak's sender goes 6 times slower, not longer: a kill's snapshot and
# restart cost grows with the numbers (a group each), not with the time.
pause=0.01
[ "${SOAK_SCALE:-1}" -le 1 ] || pause=0.06
python3 sender.py "$port" "$total" "$pause" &
BG_PIDS+=($!)

: >acked.txt
kills=0
while [ ! -e sender.done ] && [ "$kills" -lt "${KILL_MAX:-40}" ]; do
  before=$(committed db)
  "$SLUICE" run --db db q.sql >/dev/null 2>>err.txt &
  pid=$!
  for _ in $(seq 300); do
    [ "$(committed db)" -gt "$before" ] || ! kill -0 "$pid" 2>/dev/null && break
    sleep 0.02
  done
  sleep "$(printf "0.%03d" $((RANDOM % 200)))"
  kill -9 "$pid" 2>/dev/null || { cat err.txt; fail "sluice stopped by itself"; }
  wait "$pid" 2>/dev/null || true
  kills=$((kills + 1))
  python3 "$helper" acked db nums seen acked.txt
done
[ "$kills" -ge 5 ] || fail "only $kills kills landed before the sender was done"

# The last run takes what the sender still has (a soak's sender outlasts
# its kills), catches up with the log, then stops on SIGTERM.
"$SLUICE" run --db db q.sql >/dev/null 2>>err.txt &
pid=$!
BG_PIDS+=("$pid")
for _ in $(seq "$(soak_scale 300)"); do [ -e sender.done ] && break; sleep 0.1; done
for _ in $(seq 300); do
  [ "$(sqlite3 db 'SELECT count(*) FROM _sluice_log' 2>/dev/null)" = 0 ] && [ "$(committed db)" -gt 0 ] && break
  sleep 0.1
done
sleep 0.5
kill -TERM "$pid"
wait "$pid" || { tail -20 err.txt; fail "the last run did not stop cleanly"; }
grep -q "query seen resumed after record .* of log:nums" err.txt || { tail -20 err.txt; fail "no run resumed from the log"; }
python3 "$helper" check db seen acked.txt "$total" || { tail -20 err.txt; fail "not exactly once"; }
echo "ok: $kills kills"
soak_report socket_listen_crash "$kills" "$((kills + 1))" "$(sqlite3 db 'SELECT count(*) FROM seen')"
echo "1 passed, 0 failed"
