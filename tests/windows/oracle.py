#!/usr/bin/env python3
"""Window oracle test: Sluice's windowed result tables against sqlite3.

Random keyed events with bounded disorder and some very late rows are fed to
Sluice over one event-time stream, with tumbling, hopping and session
windows under EMIT FINAL and EMIT CHANGES. The lateness rule decides which
rows count in which windows: a row is late for a window when, at its
arrival, the watermark (highest event time so far minus the delay) has
reached the window's end + grace. This script only stamps each row with the
watermark at its arrival (and, for sessions, replays which rows are on time,
since that depends on sessions closing); sqlite3 computes every expected
table as a batch GROUP BY over the rows that count — with window functions
for the sessions. Counts, sums, min, max and averages must be identical.

Then the same input is fed in different batch cuts (one batch from a file;
over a socket one row per batch and random batch sizes) and the result tables
must be identical to the single-batch run's.

Usage: oracle.py SLUICE [--seed N] [--rows N] [--quick]
"""
import argparse
import os
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

US = 1_000_000
BASE = 1_767_225_600 * US  # 2026-01-01 00:00:00 UTC
DELAY_S = 3
QUERIES = {
    # name: (window clause, kind, size or gap (s), advance (s), grace (s))
    "tumble": ("WINDOW TUMBLING (SIZE 10 SECONDS)", "hop", 10, 10, 0),
    "tumble_grace": ("WINDOW TUMBLING (SIZE 10 SECONDS, GRACE PERIOD 4 SECONDS)", "hop", 10, 10, 4),
    "hop": ("WINDOW HOPPING (SIZE 15 SECONDS, ADVANCE BY 5 SECONDS)", "hop", 15, 5, 0),
    "hop_odd": ("WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 4 SECONDS, GRACE PERIOD 1 SECOND)",
                "hop", 10, 4, 1),
    "session": ("WINDOW SESSION (GAP 4 SECONDS)", "session", 4, 0, 0),
    "session_grace": ("WINDOW SESSION (GAP 3 SECONDS, GRACE PERIOD 2 SECONDS)", "session", 3, 0, 2),
}
AGGS = "COUNT(*) AS n, SUM(v) AS s, MIN(v) AS lo, MAX(v) AS hi, AVG(v) AS mean"


def ts_text(us):
    t = time.gmtime(us // US)
    return time.strftime("%Y-%m-%d %H:%M:%S", t) + ".%06d" % (us % US)


def generate(rng, n):
    """Rows (key, value, event time in us) in arrival order: time goes forward
    with bounded disorder; about 2% arrive far too late."""
    rows, clock = [], BASE
    keys = ["k%d" % i for i in range(12)] + ["ünï", ""]
    for _ in range(n):
        clock += rng.randrange(0, 700_000)
        if rng.random() < 0.02:
            t = clock - rng.randrange(20, 60) * US  # very late
        else:
            t = clock - rng.randrange(0, 5 * US)  # disorder up to 5 s
        key = None if rng.random() < 0.03 else rng.choice(keys)
        rows.append((key, rng.randrange(-1000, 1000), t))
    return rows


def watermarks(rows):
    """The watermark at each row's arrival (including the row itself)."""
    out, mark = [], None
    for _, _, t in rows:
        cand = t - DELAY_S * US
        mark = cand if mark is None or cand > mark else mark
        out.append(mark)
    return out


def session_on_time(rows, marks, gap, grace):
    """Which rows count, replaying sessions closing as the watermark passes
    their end + grace: late when its own [ts, ts + gap) has closed, or when
    it would join a closed session (ts at or before the key's last closed end)."""
    open_, closed_end, keep = {}, {}, []
    for (key, _, t), mark in zip(rows, marks):
        limit = mark - grace
        for k in list(open_):
            sess = open_[k]
            while sess and sess[0][1] <= limit:
                closed_end[k] = sess.pop(0)[1]
        ok = t + gap + grace > mark and t > closed_end.get(key, -2**63)
        keep.append(ok)
        if not ok:
            continue
        sess = open_.setdefault(key, [])
        lo, hi = t, t + gap
        rest = []
        for s, e in sess:
            if s <= hi and lo <= e:
                lo, hi = min(lo, s), max(hi, e)
            else:
                rest.append((s, e))
        rest.append((lo, hi))
        rest.sort()
        open_[key] = rest
    return keep


def expected_tables(rows, marks):
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE ev(k TEXT, v INTEGER, t INTEGER, mark INTEGER, ok_session INTEGER,"
               " ok_session_grace INTEGER)")
    ok_s = session_on_time(rows, marks, 4 * US, 0)
    ok_sg = session_on_time(rows, marks, 3 * US, 2 * US)
    db.executemany("INSERT INTO ev VALUES (?,?,?,?,?,?)",
                   [(k, v, t, m, a, b) for (k, v, t), m, a, b in zip(rows, marks, ok_s, ok_sg)])
    db.create_function("ts_text", 1, ts_text, deterministic=True)
    lo = min(t for _, _, t in rows) - 60 * US
    hi = max(t for _, _, t in rows) + 60 * US
    out = {}
    for name, (_, kind, size, adv, grace) in QUERIES.items():
        if kind == "hop":
            size, adv, grace = size * US, adv * US, grace * US
            first = (lo // adv) * adv
            db.execute("DROP TABLE IF EXISTS win")
            db.execute("CREATE TABLE win(ws INTEGER, we INTEGER)")
            db.executemany("INSERT INTO win VALUES (?,?)",
                           [(w, w + size) for w in range(first, hi, adv)])
            sql = ("SELECT ts_text(ws), ts_text(we), k, COUNT(*), SUM(v), MIN(v), MAX(v), AVG(v)"
                   " FROM ev JOIN win ON t >= ws AND t < we AND mark < we + %d"
                   " GROUP BY ws, we, k" % grace)
        else:
            gap = size * US
            col = "ok_" + name
            # Gaps and islands: a row starts a session when it is more than a gap
            # after every earlier on-time row of its key.
            sql = ("WITH o AS (SELECT k, v, t, MAX(t) OVER (PARTITION BY k ORDER BY t ROWS BETWEEN"
                   " UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev FROM ev WHERE %s),"
                   " s AS (SELECT *, SUM(CASE WHEN prev IS NULL OR t > prev + %d THEN 1 ELSE 0 END)"
                   " OVER (PARTITION BY k ORDER BY t ROWS UNBOUNDED PRECEDING) AS sid FROM o)"
                   " SELECT ts_text(MIN(t)), ts_text(MAX(t) + %d), k, COUNT(*), SUM(v), MIN(v),"
                   " MAX(v), AVG(v) FROM s GROUP BY k, sid" % (col, gap, gap))
        out[name] = sorted(db.execute(sql).fetchall(), key=repr)
    return out


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        f.write("k,v,ts\n")
        for k, v, t in rows:
            f.write("%s,%d,%s\n" % ("" if k is None else '"%s"' % k, v, ts_text(t)))


def script(source, emit):
    lines = ["CREATE STREAM ev (k TEXT, v INTEGER, ts TIMESTAMP,"
             " WATERMARK FOR ts AS ts - INTERVAL '%d' SECOND) FROM %s FORMAT CSV (header = true);"
             % (DELAY_S, source)]
    for name, (clause, _, _, _, _) in QUERIES.items():
        lines.append("CREATE QUERY %s_%s AS SELECT window_start, window_end, k, %s FROM ev"
                     " GROUP BY k %s EMIT %s TRIGGER EVERY 20 MILLISECONDS;"
                     % (name, emit.lower(), AGGS, clause, emit))
    return "\n".join(lines) + "\n"


def read_tables(db_path):
    db = sqlite3.connect(db_path)
    out = {}
    for name in QUERIES:
        for emit in ("final", "changes"):
            rows = db.execute("SELECT window_start, window_end, k, n, s, lo, hi, mean FROM %s_%s"
                              % (name, emit)).fetchall()
            out[name + "_" + emit] = sorted(rows, key=repr)
    db.close()
    return out


def run_file(sluice, work, rows, tag):
    csv = os.path.join(work, tag + ".csv")
    write_csv(csv, rows)
    sql = os.path.join(work, tag + ".sql")
    with open(sql, "w") as f:
        f.write(script("FILE '%s'" % csv, "FINAL") + script("FILE '%s'" % csv, "CHANGES")
                .split("\n", 1)[1])
    db = os.path.join(work, tag + ".db")
    subprocess.run([sluice, "run", "--db", db, sql], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return read_tables(db)


def run_socket(sluice, work, rows, tag, cuts, pause):
    """Serves the CSV on a local socket to every query that connects (each
    query reads its stream on its own connection), cuts[i] rows at a time with
    a pause between: each pause longer than the trigger ends a batch."""
    sql = os.path.join(work, tag + ".sql")
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    source = "SOCKET '127.0.0.1:%d'" % server.getsockname()[1]
    with open(sql, "w") as f:
        f.write(script(source, "FINAL") + script(source, "CHANGES").split("\n", 1)[1])
    pieces, at = [], 0
    for n in cuts:
        pieces.append("".join("%s,%d,%s\n" % ("" if k is None else '"%s"' % k, v, ts_text(t))
                              for k, v, t in rows[at:at + n]).encode())
        at += n

    def feed(conn):
        with conn:
            conn.sendall(b"k,v,ts\n")
            for piece in pieces:
                conn.sendall(piece)
                time.sleep(pause)

    def serve():
        for _ in range(2 * len(QUERIES)):
            conn, _ = server.accept()
            threading.Thread(target=feed, args=(conn,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    db = os.path.join(work, tag + ".db")
    p = subprocess.run([sluice, "run", "--db", db, sql], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, timeout=300)
    server.close()
    if p.returncode != 0:
        raise SystemExit("sluice failed on %s (exit %d):\n%s" % (tag, p.returncode, p.stderr.decode()[-2000:]))
    return read_tables(db)


def compare(got, want, what):
    bad = 0
    for name, rows in want.items():
        for emit in ("final", "changes"):
            g = got[name + "_" + emit]
            if g != rows:
                bad += 1
                missing = [r for r in rows if r not in g][:5]
                extra = [r for r in g if r not in rows][:5]
                print("%s: %s_%s differs (%d rows, want %d)\n  missing %s\n  extra %s"
                      % (what, name, emit, len(g), len(rows), missing, extra))
    return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sluice")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rows", type=int, default=3000)
    ap.add_argument("--quick", action="store_true", help="skip the socket batch-cut runs")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    rows = generate(rng, args.rows)
    want = expected_tables(rows, watermarks(rows))
    bad = 0
    with tempfile.TemporaryDirectory() as work:
        one = run_file(args.sluice, work, rows, "one_batch")
        bad += compare(one, want, "one batch")
        if not args.quick:
            small = rows[:150]
            small_want = expected_tables(small, watermarks(small))
            per_row = run_socket(args.sluice, work, small, "row_per_batch", [1] * len(small), 0.03)
            bad += compare(per_row, small_want, "one row per batch")
            cuts, left = [], len(rows)
            while left:
                n = min(left, rng.choice([1, 2, 5, 17, 64, 300]))
                cuts.append(n)
                left -= n
            random_cuts = run_socket(args.sluice, work, rows, "random_batches", cuts, 0.03)
            for table in one:
                if random_cuts[table] != one[table]:
                    bad += 1
                    print("random batch sizes vs one batch: %s differs" % table)
            bad += compare(random_cuts, want, "random batch sizes")
    total = sum(len(v) for v in want.values())
    if bad:
        print("FAIL: %d table(s) differ" % bad)
        return 1
    print("ok: %d queries x 2 emit modes, %d expected rows from %d events (seed %d)"
          % (len(QUERIES), total, len(rows), args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
