#!/usr/bin/env python3
"""Helpers of e2e/crash_log.sh.

serve PORT_FILE N: a TCP server on 127.0.0.1 that sends the lines 1..N
  ("<n>\\n"), a few hundred at a time, continuing on each new connection
  where the last one stopped (lines lost in a killed client's socket
  buffers are not sent again), and closes the connection cleanly after line
  N; later connections are closed at once (the end of the input).
acked DB STREAM QUERY OUT: appends to OUT the numbers the engine has
  acknowledged: those in the query's result table and those in the
  stream's log past the query's position (records framed as in
  engine/runtime/log_frame.h: u32 payload length, u32 key length, payload,
  key; a socket's record is a block of complete lines).
check DB QUERY ACKED N: the query's table (n, c) must count each number
  once (c = 1) and hold every acknowledged number.
"""
import socket
import struct
import sqlite3
import sys
import time


def serve(port_file, total):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(srv.getsockname()[1]))
    import os
    os.rename(port_file + ".tmp", port_file)
    nxt = 1
    while True:
        conn, _ = srv.accept()
        try:
            while nxt <= total:
                upto = min(total, nxt + 199)
                conn.sendall("".join("%d\n" % i for i in range(nxt, upto + 1)).encode())
                nxt = upto + 1
                time.sleep(0.005)
            conn.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        conn.close()


def log_records(data):
    at = 0
    while at + 8 <= len(data):
        vlen, klen = struct.unpack_from("<II", data, at)
        at += 8
        yield data[at:at + vlen]
        at += vlen + (0 if klen == 0xFFFFFFFF else klen)


def acked(db, stream, query, out):
    con = sqlite3.connect(db)
    nums = [r[0] for r in con.execute('SELECT n FROM "%s"' % query)]
    row = con.execute("SELECT next FROM _sluice_log_readers WHERE stream = ? AND query = ?",
                      (stream, query)).fetchone()
    # A query that is no reader yet (killed before the script created it) holds nothing.
    rows = [] if row is None else con.execute(
        "SELECT first, data FROM _sluice_log WHERE stream = ? ORDER BY first", (stream,)).fetchall()
    pos = row[0] if row else 0
    con.close()
    for first, data in rows:
        for k, record in enumerate(log_records(data)):
            if first + k >= pos:
                nums += [int(x) for x in record.split()]
    with open(out, "a") as f:
        f.write("".join("%d\n" % n for n in nums))


def check(db, query, acked_file, total):
    con = sqlite3.connect(db)
    rows = con.execute('SELECT n, c FROM "%s"' % query).fetchall()
    con.close()
    twice = [n for n, c in rows if c != 1]
    if twice:
        sys.exit("counted more than once: %s" % twice[:10])
    have = {n for n, _ in rows}
    with open(acked_file) as f:
        acked_nums = {int(x) for x in f.read().split()}
    missing = sorted(acked_nums - have)
    if missing:
        sys.exit("acknowledged but missing: %d numbers, e.g. %s" % (len(missing), missing[:10]))
    print("ok: %d of %d numbers counted once, %d acknowledged before kills, %d lost in flight"
          % (len(have), total, len(acked_nums), total - len(have)))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "serve":
        serve(sys.argv[2], int(sys.argv[3]))
    elif cmd == "acked":
        acked(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
    elif cmd == "check":
        check(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    else:
        sys.exit("unknown command " + cmd)
