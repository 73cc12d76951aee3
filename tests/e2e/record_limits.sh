#!/usr/bin/env bash
# max_record_bytes bounds what a record can take. A peer that sends bytes
# with no newline used to grow the process until the OOM killer (later: a
# dead letter per 4 MiB and the tail taken for a row). Now the line is
# dropped as it comes, with a warning, and kept as one dead letter (its
# first 4 KiB and its size); the lines around it are rows; memory stays
# bounded. The same through stdin (the decoder's own limit).
source "$(dirname "$0")/lib.bash"
cd "$WORK"
sent=$((256 << 20))

rm -f port
python3 - "$sent" <<'PY' &
import os, socket, sys
total = int(sys.argv[1])
s = socket.socket()
s.bind(('127.0.0.1', 0))
s.listen(1)
open('port.tmp', 'w').write(str(s.getsockname()[1]))
os.rename('port.tmp', 'port')
s.settimeout(30)
c, _ = s.accept()
c.sendall(b'a\n')
chunk = b'x' * (1 << 20)
for _ in range(total >> 20):
    c.sendall(chunk)
c.sendall(b'\nabc\n')
c.shutdown(socket.SHUT_WR)
c.recv(1)
c.close()
PY
BG_PIDS+=($!)
for _ in $(seq 200); do [ -s port ] && break; sleep 0.05; done
port=$(cat port)
cat >q.sql <<SQL
CREATE STREAM s (line TEXT) FROM SOCKET '127.0.0.1:$port' FORMAT TEXT;
CREATE QUERY c AS SELECT length(line) AS n FROM s;
SQL
"$SLUICE" run --db db q.sql >/dev/null 2>err.txt &
pid=$!
BG_PIDS+=("$pid")
peak=0
while kill -0 "$pid" 2>/dev/null; do
  hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
  [ "${hwm:-0}" -gt "$peak" ] && peak=$hwm
  sleep 0.05
done
wait "$pid" || { cat err.txt; fail "the run failed"; }
[ "$(sqlite3 db 'SELECT group_concat(n) FROM c')" = "1,3" ] ||
  { sqlite3 db 'SELECT n FROM c'; fail "the lines around the long one are not the rows"; }
[ "$(sqlite3 db 'SELECT query IS NULL, source, length(record), error FROM _sluice_dead_letters')" = \
  "1|socket:127.0.0.1:$port|4096|a record of $sent bytes is longer than max_record_bytes (1048576)" ] ||
  { sqlite3 db 'SELECT query, source, length(record), error FROM _sluice_dead_letters'; fail "not one dead letter with the record's head and size"; }
grep -qx "sluice: warning: stream s: a record longer than max_record_bytes (1048576) is arriving from socket:127.0.0.1:$port: its bytes are dropped up to its newline, and it is kept as a dead letter (its first 4096 bytes and its size)" err.txt ||
  { cat err.txt; fail "no warning for the long record"; }
[ "$peak" -lt $((128 << 10)) ] || fail "peak RSS $peak KiB for a $((sent >> 20)) MiB record: not bounded"
echo "ok: a $((sent >> 20)) MiB line from a peer is one dead letter, peak RSS $((peak >> 10)) MiB"

cat >stdin.sql <<'SQL'
CREATE STREAM i (line TEXT) FROM STDIN FORMAT TEXT;
CREATE QUERY d AS SELECT length(line) AS n FROM i;
SQL
{ echo a; head -c "$sent" /dev/zero; printf '\nabc\n'; } | "$SLUICE" run --db db2 stdin.sql >/dev/null 2>err.txt ||
  { cat err.txt; fail "the stdin run failed"; }
[ "$(sqlite3 db2 'SELECT group_concat(n) FROM d')" = "1,3" ] || fail "stdin: the lines around the long one are not the rows"
[ "$(sqlite3 db2 'SELECT length(CAST(record AS BLOB)), error FROM _sluice_dead_letters')" = \
  "4096|a record of $sent bytes is longer than max_record_bytes (1048576)" ] ||
  fail "stdin: not one dead letter with the record's head and size"
echo "ok: the same line through stdin is one dead letter"
echo "2 passed, 0 failed"
