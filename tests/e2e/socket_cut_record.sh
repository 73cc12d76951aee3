#!/usr/bin/env bash
# A record cut off by a broken connection must not join the next
# connection's bytes. A server sends `acct1,100\nacct2,`, resets the
# connection, then on the next one sends `999\nacct3,5\n`: the table used to
# hold `acct2|999`, which was never sent. Now the cut record is dropped with
# a warning naming it, and (with the stream's log) kept as a dead letter;
# `999`, the new connection's first line, is its own record (a dead letter:
# one field). Without the log (`log = false`) the same, the query keeping the dead letter.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

# serve FIRST SECOND DB SQL: two connections, the first reset (RST) after
# FIRST once SQL on DB counts a row (what came before the cut was read: a
# reset may drop what the reader had not read yet).
serve() {
  rm -f port
  python3 - "$1" "$2" "$3" "$4" <<'PY' &
import socket, sqlite3, struct, sys, time
first, second = (a.encode().decode('unicode_escape').encode() for a in sys.argv[1:3])
db, ready = sys.argv[3:5]
s = socket.socket()
s.bind(('127.0.0.1', 0))
s.listen(1)
open('port.tmp', 'w').write(str(s.getsockname()[1]))
import os; os.rename('port.tmp', 'port')
s.settimeout(20)
c, _ = s.accept()
c.sendall(first)
for _ in range(400):
    try:
        if sqlite3.connect(db, timeout=1).execute(ready).fetchone()[0] > 0:
            break
    except sqlite3.Error:
        pass
    time.sleep(0.05)
time.sleep(0.1)
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
c.close()
c, _ = s.accept()
c.sendall(second)
c.shutdown(socket.SHUT_WR)
time.sleep(0.2)
c.close()
PY
  BG_PIDS+=($!)
  for _ in $(seq 200); do [ -s port ] && break; sleep 0.05; done
  PORT=$(cat port)
}

serve 'acct1,100\nacct2,' '999\nacct3,5\n' db 'SELECT (SELECT count(*) FROM _sluice_log) + (SELECT count(*) FROM c)'
cat >q.sql <<SQL
CREATE STREAM s (acct TEXT, amount BIGINT) FROM SOCKET '127.0.0.1:$PORT' FORMAT CSV;
CREATE QUERY c AS SELECT acct, amount FROM s;
SQL
timeout 30 "$SLUICE" run --db db q.sql >/dev/null 2>err.txt || { cat err.txt; fail "the run failed"; }
[ "$(sqlite3 db 'SELECT acct || "|" || amount FROM c ORDER BY acct' | tr '\n' ' ')" = "acct1|100 acct3|5 " ] ||
  { sqlite3 db 'SELECT * FROM c'; fail "the cut record joined the next connection's bytes"; }
grep -qx "sluice: warning: socket 127.0.0.1:$PORT: the connection broke (connection reset by peer) in the middle of a record: its 6 bytes received (\"acct2,\") are dropped, not joined to the next connection's" err.txt ||
  { cat err.txt; fail "no warning naming the cut record"; }
cat >expected.txt <<TXT
s||socket:127.0.0.1:$PORT|acct2,|the connection broke 6 bytes into this record, before its end: dropped, not joined to the next connection's bytes
s||socket:127.0.0.1:$PORT|999|expected 2 fields, got 1
TXT
sqlite3 db 'SELECT stream, query, source, record, error FROM _sluice_dead_letters ORDER BY id' >got.txt
diff expected.txt got.txt || fail "not the dead letters expected"
echo "ok: a record cut by a reset is a dead letter, not joined to the next connection's"

serve 'first\npartial' '-NEWCONN\nlast\n' db2 'SELECT count(*) FROM d'
cat >t.sql <<SQL
CREATE STREAM t (line TEXT) FROM SOCKET '127.0.0.1:$PORT' FORMAT TEXT WITH (log = false);
CREATE QUERY d AS SELECT line FROM t;
SQL
timeout 30 "$SLUICE" run --db db2 t.sql >/dev/null 2>err.txt || { cat err.txt; fail "the run without a log failed"; }
[ "$(sqlite3 db2 'SELECT group_concat(line, " ") FROM d')" = "first -NEWCONN last" ] ||
  { sqlite3 db2 'SELECT * FROM d'; fail "without a log, the cut record joined the next connection's bytes"; }
grep -q "its 7 bytes received (\"partial\") are dropped" err.txt || { cat err.txt; fail "no warning without a log"; }
[ "$(sqlite3 db2 'SELECT query, record, error FROM _sluice_dead_letters')" = "d|partial|the connection broke 7 bytes into this record, before its end: dropped, not joined to the next connection's bytes" ] ||
  { sqlite3 db2 'SELECT * FROM _sluice_dead_letters'; fail "without a log, the cut record is not the query's dead letter"; }
echo "ok: without a log, the cut record is dropped with a warning and kept as the query's dead letter"
# SOCKET LISTEN: a sender whose connection is reset mid-record; another's clean
# close still hands out its last line without a newline.
cat >l.sql <<'SQL'
CREATE STREAM l (line TEXT) FROM SOCKET LISTEN '127.0.0.1:0' FORMAT TEXT;
CREATE QUERY e AS SELECT line FROM l;
SQL
"$SLUICE" run --db db3 l.sql >/dev/null 2>err.txt &
pid=$!
BG_PIDS+=("$pid")
for _ in $(seq 200); do grep -q "listening on" err.txt && break; sleep 0.05; done
lport=$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' err.txt | head -1)
[ -n "$lport" ] || { cat err.txt; fail "SOCKET LISTEN said no port"; }
python3 - "$lport" <<'PY'
import socket, sqlite3, struct, sys, time
port = int(sys.argv[1])
a = socket.create_connection(('127.0.0.1', port))
a.sendall(b'whole\ncut-off')
for _ in range(400):  # read before the reset, which may drop what is unread
    try:
        if sqlite3.connect('db3', timeout=1).execute(
                'SELECT (SELECT count(*) FROM _sluice_log) + (SELECT count(*) FROM e)').fetchone()[0]:
            break
    except sqlite3.Error:
        pass
    time.sleep(0.05)
time.sleep(0.1)
a.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
a.close()
b = socket.create_connection(('127.0.0.1', port))
b.sendall(b'last-without-newline')
b.close()
PY
for _ in $(seq 200); do [ "$(sqlite3 db3 'SELECT count(*) FROM e' 2>/dev/null || echo 0)" -ge 2 ] && break; sleep 0.05; done
sleep 0.3
kill -TERM "$pid"
wait "$pid" || { cat err.txt; fail "the SOCKET LISTEN run did not stop cleanly"; }
[ "$(sqlite3 db3 'SELECT group_concat(line, " ") FROM (SELECT line FROM e ORDER BY line)')" = "last-without-newline whole" ] ||
  { sqlite3 db3 'SELECT * FROM e'; fail "SOCKET LISTEN: a reset sender's partial line became a row"; }
grep -q "'s connection broke in the middle of a record: its 7 bytes received (\"cut-off\") are dropped" err.txt ||
  { cat err.txt; fail "SOCKET LISTEN: no warning naming the cut record"; }
[ "$(sqlite3 db3 'SELECT record FROM _sluice_dead_letters WHERE query IS NULL')" = "cut-off" ] ||
  fail "SOCKET LISTEN: the cut record is not a dead letter"
echo "ok: SOCKET LISTEN drops a reset sender's partial line as a dead letter"
echo "3 passed, 0 failed"
