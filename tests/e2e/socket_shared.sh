#!/usr/bin/env bash
# Two queries over one SOCKET stream see the same records, and the server
# sees one connection: the stream is read once, into its log (ingest.h).
# Then WITH (log = false): each query connects on its own.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

# A server that sends lines 1..N to each connection and counts connections in conns.txt.
cat >server.py <<'PY'
import socket, sys, threading
total, port_file = int(sys.argv[1]), sys.argv[2]
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(8)
open(port_file + ".tmp", "w").write(str(srv.getsockname()[1]))
import os; os.rename(port_file + ".tmp", port_file)
conns = 0
def serve(c):
    c.sendall("".join("%d,k%d\n" % (i, i % 7) for i in range(1, total + 1)).encode())
    c.shutdown(socket.SHUT_WR)
    c.close()
while True:
    c, _ = srv.accept()
    conns += 1
    open("conns.txt", "w").write(str(conns))
    threading.Thread(target=serve, args=(c,)).start()
PY
python3 server.py 100000 "$WORK/port" &
BG_PIDS+=($!)
for _ in $(seq 200); do [ -s "$WORK/port" ] && break; sleep 0.05; done
port=$(cat "$WORK/port")

cat >q.sql <<SQL
CREATE STREAM s (n INTEGER, k TEXT) FROM SOCKET '127.0.0.1:$port' FORMAT CSV;
CREATE QUERY per_k AS SELECT k, count(*) AS c, sum(n) AS total FROM s GROUP BY k;
CREATE QUERY all_rows AS SELECT n, k FROM s;
SQL
"$SLUICE" run --db db q.sql 2>err.txt || { cat err.txt; fail "run failed"; }
[ "$(cat conns.txt)" = 1 ] || fail "the server saw $(cat conns.txt) connections, not 1"
[ "$(sqlite3 db 'SELECT sum(c), sum(total) FROM per_k')" = "100000|5000050000" ] ||
  fail "per_k: $(sqlite3 db 'SELECT sum(c), sum(total) FROM per_k')"
[ "$(sqlite3 db 'SELECT count(*), sum(n) FROM all_rows')" = "100000|5000050000" ] ||
  fail "all_rows: $(sqlite3 db 'SELECT count(*), sum(n) FROM all_rows')"
# Both saw the same records: the projection grouped as the aggregation did.
[ "$(sqlite3 db 'SELECT count(*) FROM (SELECT k, count(*) c, sum(n) t FROM all_rows GROUP BY k
                  EXCEPT SELECT k, c, total FROM per_k)')" = 0 ] || fail "the queries saw different records"
[ "$(sqlite3 db 'SELECT count(*) FROM _sluice_log')" = 0 ] || fail "the log was not trimmed"
[ "$(sqlite3 db 'SELECT count(*), count(DISTINCT next) FROM _sluice_log_readers')" = "2|1" ] ||
  fail "the readers are not at the same place: $(sqlite3 db 'SELECT * FROM _sluice_log_readers')"

# log = false: each query reads the socket itself.
cat >direct.sql <<SQL
CREATE STREAM d (n INTEGER, k TEXT) FROM SOCKET '127.0.0.1:$port' FORMAT CSV WITH (log = false);
CREATE QUERY d1 AS SELECT count(*) AS c FROM d;
CREATE QUERY d2 AS SELECT count(*) AS c FROM d;
SQL
"$SLUICE" run --db db2 direct.sql 2>err.txt || { cat err.txt; fail "direct run failed"; }
[ "$(cat conns.txt)" = 3 ] || fail "log = false: the server saw $(($(cat conns.txt) - 1)) connections, not 2"
[ "$(sqlite3 db2 'SELECT (SELECT c FROM d1) || "," || (SELECT c FROM d2)')" = "100000,100000" ] ||
  fail "log = false counts: $(sqlite3 db2 'SELECT * FROM d1, d2')"
echo "1 passed, 0 failed"
