#!/usr/bin/env python3
"""Join and top-N oracle test: Sluice's result tables against sqlite3.

Two event-time streams, `l` (k, v, g, ts) and `r` (k, w, ts), keyed, with
bounded disorder (less than the watermark's delay, so no row is late) and
keys that never match on the other side, and a lookup table `dim` (k, name,
f) in Sluice's own database. Each case is a Sluice query and the SQLite batch
query that must give the same table: interval joins (INNER, LEFT, with a
derived table's side), window joins (pairs, TUMBLING and HOPPING; under a
windowed aggregate, INNER and LEFT), lookup joins (INNER, LEFT, aggregated), an
aggregation over a join,
top-N and RANK/DENSE_RANK over a stream, top-N over a windowed aggregate
(EMIT FINAL and EMIT CHANGES) and keep-first/keep-latest dedup.

The input is fed in three cuts: one batch from files; over sockets one row
per batch (a prefix of the rows); over sockets in random batch sizes. Each
cut's tables must equal SQLite's. During the socket cuts the harness edits
`dim` between batches: it waits until every lookup query has committed the
`l` rows sent so far (their `_sluice_progress.rows_in`), changes the table,
then sends on. A batch sees the table as it was when the batch began, which
is before its rows come, so SQLite joins each row with the version of `dim`
committed before its batch's `_sluice_progress.started` (the batches'
rows_in, in order, say which rows each read).

A case whose feature Sluice does not have yet is skipped with the reason
Sluice gives (its query refused over empty input); --strict fails instead.

Usage: oracle.py SLUICE [--seed N] [--rows N] [--cases a,b,...] [--quick]
                        [--strict] [--keep DIR]
"""
import argparse
import datetime
import itertools
import os
import random
import re
import shutil
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
TRIGGER_S = 0.02
DISORDER_US = 2_500_000  # below the delay: no row is late for its own stream
L_KEYS = list(range(12))  # 10 and 11 never appear in r
R_KEYS = list(range(10)) + [20, 21]  # 20 and 21 never appear in l
DIM_KEYS = list(range(9))  # 9, 10 and 11 of l have no row in dim at first
INTERVAL_ON = ("l.k = r.k AND l.ts BETWEEN r.ts - INTERVAL '1' SECOND"
               " AND r.ts + INTERVAL '2' SECOND")
INTERVAL_SQLITE = "l.k = r.k AND l.t BETWEEN r.t - 1000000 AND r.t + 2000000"
WIN_US = 5 * US
WINDOW_SQLITE = "l.k = r.k AND l.t / %d = r.t / %d" % (WIN_US, WIN_US)
TOPN_WINDOW = ("SELECT window_start, window_end, k, COUNT(*) AS n, RANK() OVER (PARTITION BY"
               " window_start, window_end ORDER BY COUNT(*) DESC) AS rk FROM l GROUP BY k"
               " WINDOW TUMBLING (SIZE 10 SECONDS) EMIT %s")
TOPN_WINDOW_SQLITE = ("SELECT window_start, window_end, k, n, RANK() OVER (PARTITION BY"
                      " window_start, window_end ORDER BY n DESC) AS rk FROM"
                      " (SELECT ts_text(ws) AS window_start, ts_text(ws + 10000000) AS window_end,"
                      " k, COUNT(*) AS n FROM (SELECT k, t - t % 10000000 AS ws FROM l)"
                      " GROUP BY ws, k)")


class Case:
    def __init__(self, feature, sluice, sqlite, lookup=False):
        self.feature = feature  # what it needs, named in a skip
        self.sluice = sluice  # the CREATE QUERY's SELECT
        self.sqlite = sqlite  # the same rows from the tables l, r, dim_hist
        self.lookup = lookup  # reads dim: the harness syncs its batches with dim's edits


CASES = {
    "filter": Case(
        "a filter (no join: checks the harness)",
        "SELECT k, v, ts FROM l WHERE v % 3 = 0",
        "SELECT k, v, ts FROM l WHERE v % 3 = 0"),
    "interval_inner": Case(
        "interval joins",
        "SELECT l.k, l.v, l.ts, r.w, r.ts AS rts FROM l JOIN r ON " + INTERVAL_ON,
        "SELECT l.k, l.v, l.ts, r.w, r.ts FROM l JOIN r ON " + INTERVAL_SQLITE),
    "interval_left": Case(
        "interval joins",
        "SELECT l.k, l.v, l.ts, r.w, r.ts AS rts FROM l LEFT JOIN r ON " + INTERVAL_ON,
        "SELECT l.k, l.v, l.ts, r.w, r.ts FROM l LEFT JOIN r ON " + INTERVAL_SQLITE),
    "window_inner": Case(
        "window joins",
        "SELECT window_start, window_end, l.k, COUNT(*) AS n, SUM(r.w) AS s, MAX(l.v) AS hi"
        " FROM l JOIN r ON l.k = r.k GROUP BY l.k WINDOW TUMBLING (SIZE 5 SECONDS) EMIT FINAL",
        "SELECT ts_text(l.t - l.t %% %d), ts_text(l.t - l.t %% %d + %d), l.k, COUNT(*), SUM(r.w),"
        " MAX(l.v) FROM l JOIN r ON %s GROUP BY l.t / %d, l.k"
        % (WIN_US, WIN_US, WIN_US, WINDOW_SQLITE, WIN_US)),
    "window_left": Case(
        "window joins",
        "SELECT window_start, window_end, l.k, COUNT(*) AS n, COUNT(r.w) AS matched, SUM(r.w) AS s"
        " FROM l LEFT JOIN r ON l.k = r.k GROUP BY l.k WINDOW TUMBLING (SIZE 5 SECONDS)",
        "SELECT ts_text(l.t - l.t %% %d), ts_text(l.t - l.t %% %d + %d), l.k, COUNT(*), COUNT(r.w),"
        " SUM(r.w) FROM l LEFT JOIN r ON %s GROUP BY l.t / %d, l.k"
        % (WIN_US, WIN_US, WIN_US, WINDOW_SQLITE, WIN_US)),
    "window_pairs_inner": Case(
        "window joins without an aggregate",
        "SELECT window_start, window_end, l.k, l.v, r.w FROM l JOIN r ON l.k = r.k"
        " WINDOW TUMBLING (SIZE 5 SECONDS)",
        "SELECT ts_text(l.t - l.t %% %d), ts_text(l.t - l.t %% %d + %d), l.k, l.v, r.w"
        " FROM l JOIN r ON %s" % (WIN_US, WIN_US, WIN_US, WINDOW_SQLITE)),
    "window_pairs_hop_left": Case(
        "window joins without an aggregate (HOPPING)",
        "SELECT window_start, window_end, l.k, l.v, r.w FROM l LEFT JOIN r ON l.k = r.k"
        " WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 5 SECONDS)",
        "WITH lw AS (SELECT l.*, l.t - l.t %% %d - j * %d AS ws FROM l, (SELECT 0 AS j UNION ALL"
        " SELECT 1)) SELECT ts_text(ws), ts_text(ws + %d), lw.k, lw.v, r.w FROM lw LEFT JOIN r"
        " ON lw.k = r.k AND r.t >= lw.ws AND r.t < lw.ws + %d"
        % (WIN_US, WIN_US, 2 * WIN_US, 2 * WIN_US)),
    "interval_derived": Case(
        "interval joins with a derived table's side",
        "SELECT l.k, l.v, r.w, r.ts AS rts FROM l JOIN (SELECT k, w, ts FROM r WHERE w % 2 = 0) AS r"
        " ON " + INTERVAL_ON,
        "SELECT l.k, l.v, r.w, r.ts FROM l JOIN (SELECT * FROM r WHERE w % 2 = 0) AS r ON "
        + INTERVAL_SQLITE),
    "lookup_inner": Case(
        "lookup joins",
        "SELECT l.k, l.v, d.name, d.f FROM l JOIN dim d ON l.k = d.k",
        "SELECT l.k, l.v, d.name, d.f FROM l JOIN dim_hist d ON d.ver = l.ver AND d.k = l.k",
        lookup=True),
    "lookup_left": Case(
        "lookup joins",
        "SELECT l.k, l.v, d.name, d.f FROM l LEFT JOIN dim d ON l.k = d.k",
        "SELECT l.k, l.v, d.name, d.f FROM l LEFT JOIN dim_hist d ON d.ver = l.ver AND d.k = l.k",
        lookup=True),
    "lookup_agg": Case(
        "lookup joins with GROUP BY",
        "SELECT d.name, COUNT(*) AS n, SUM(l.v) AS s FROM l JOIN dim d ON l.k = d.k GROUP BY d.name",
        "SELECT d.name, COUNT(*), SUM(l.v) FROM l JOIN dim_hist d ON d.ver = l.ver AND d.k = l.k"
        " GROUP BY d.name",
        lookup=True),
    "join_agg": Case(
        "GROUP BY over an interval join",
        "SELECT l.k, COUNT(*) AS n, SUM(r.w) AS s, MAX(l.v) AS hi FROM l JOIN r ON " + INTERVAL_ON
        + " GROUP BY l.k",
        "SELECT l.k, COUNT(*), SUM(r.w), MAX(l.v) FROM l JOIN r ON " + INTERVAL_SQLITE
        + " GROUP BY l.k"),
    "topn_stream": Case(
        "top-N (ROW_NUMBER)",
        "SELECT * FROM (SELECT k, v, ts, ROW_NUMBER() OVER (PARTITION BY k ORDER BY v DESC) AS rn"
        " FROM l) WHERE rn <= 3",
        "SELECT * FROM (SELECT k, v, ts, ROW_NUMBER() OVER (PARTITION BY k ORDER BY v DESC) AS rn"
        " FROM l) WHERE rn <= 3"),
    "rank_stream": Case(
        "top-N (RANK)",
        "SELECT * FROM (SELECT k, v, g, RANK() OVER (PARTITION BY k ORDER BY g DESC) AS rk"
        " FROM l) WHERE rk <= 2",
        "SELECT * FROM (SELECT k, v, g, RANK() OVER (PARTITION BY k ORDER BY g DESC) AS rk"
        " FROM l) WHERE rk <= 2"),
    "dense_rank_stream": Case(
        "top-N (DENSE_RANK)",
        "SELECT * FROM (SELECT k, v, g, DENSE_RANK() OVER (PARTITION BY k ORDER BY g) AS rk"
        " FROM l) WHERE rk <= 2",
        "SELECT * FROM (SELECT k, v, g, DENSE_RANK() OVER (PARTITION BY k ORDER BY g) AS rk"
        " FROM l) WHERE rk <= 2"),
    "topn_window_final": Case(
        "top-N over a windowed aggregate",
        "SELECT * FROM (" + TOPN_WINDOW % "FINAL" + ") WHERE rk <= 2",
        "SELECT * FROM (" + TOPN_WINDOW_SQLITE + ") WHERE rk <= 2"),
    "topn_window_changes": Case(
        "top-N over a windowed aggregate",
        "SELECT * FROM (" + TOPN_WINDOW % "CHANGES" + ") WHERE rk <= 2",
        "SELECT * FROM (" + TOPN_WINDOW_SQLITE + ") WHERE rk <= 2"),
    "dedup_first": Case(
        "deduplication (ROW_NUMBER ... = 1)",
        "SELECT * FROM (SELECT k, v, ts, ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts) AS rn"
        " FROM l) WHERE rn = 1",
        "SELECT * FROM (SELECT k, v, ts, ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts) AS rn"
        " FROM l) WHERE rn = 1"),
    "dedup_latest": Case(
        "deduplication (ROW_NUMBER ... = 1)",
        "SELECT * FROM (SELECT k, v, ts, ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts DESC) AS rn"
        " FROM l) WHERE rn = 1",
        "SELECT * FROM (SELECT k, v, ts, ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts DESC) AS rn"
        " FROM l) WHERE rn = 1"),
}


def ts_text(us):
    t = time.gmtime(us // US)
    return time.strftime("%Y-%m-%d %H:%M:%S", t) + ".%06d" % (us % US)


def event_times(rng, n, used):
    """n event times in arrival order: forward with disorder below the
    watermark's delay, every one distinct (dedup and ROW_NUMBER order by
    them) and distinct from `used`."""
    out, clock = [], BASE
    for _ in range(n):
        clock += rng.randrange(0, 400_000)
        t = max(BASE, clock - rng.randrange(0, DISORDER_US))
        while t in used:
            t += 1
        used.add(t)
        out.append(t)
    return out


def generate(rng, n):
    used = set()
    values = rng.sample(range(-100_000, 100_000), n)  # distinct: ROW_NUMBER by v is deterministic
    left = [(None if rng.random() < 0.03 else rng.choice(L_KEYS), values[i], rng.randrange(30), t)
            for i, t in enumerate(event_times(rng, n, used))]
    right = [(rng.choice(R_KEYS), rng.randrange(-1000, 1000), t)
             for t in event_times(rng, n, used)]
    return left, right


def dim_versions(rng, count):
    """count versions of dim ({k: (name, f)}): each edits the last one, with
    updates, a deletion and an insertion, so matches come and go."""
    cur = {k: ("name%d" % (k % 4), k * 10) for k in DIM_KEYS}
    out = [dict(cur)]
    for _ in range(count - 1):
        for k in rng.sample(sorted(cur), min(3, len(cur))):
            cur[k] = ("name%d" % rng.randrange(6), rng.randrange(-50, 50))
        if cur and rng.random() < 0.5:
            del cur[rng.choice(sorted(cur))]
        k = rng.choice(L_KEYS)
        cur.setdefault(k, ("name%d" % rng.randrange(6), rng.randrange(-50, 50)))
        out.append(dict(cur))
    return out


def csv_line(row):
    return ",".join("" if x is None else (ts_text(x) if i == len(row) - 1 else str(x))
                    for i, x in enumerate(row)) + "\n"


L_HEADER, R_HEADER = "k,v,g,ts\n", "k,w,ts\n"


def streams_sql(l_source, r_source):
    return ("CREATE STREAM l (k INTEGER, v INTEGER, g INTEGER, ts TIMESTAMP,"
            " WATERMARK FOR ts AS ts - INTERVAL '%d' SECOND) FROM %s FORMAT CSV (header = true);\n"
            "CREATE STREAM r (k INTEGER, w INTEGER, ts TIMESTAMP,"
            " WATERMARK FOR ts AS ts - INTERVAL '%d' SECOND) FROM %s FORMAT CSV (header = true);\n"
            % (DELAY_S, l_source, DELAY_S, r_source))


def queries_sql(names):
    return "".join("CREATE QUERY %s AS %s TRIGGER EVERY %d MILLISECONDS;\n"
                   % (name, CASES[name].sluice, TRIGGER_S * 1000) for name in names)


def write_dim(db_path, version):
    db = sqlite3.connect(db_path, timeout=60)
    with db:
        db.execute("CREATE TABLE IF NOT EXISTS dim (k INTEGER PRIMARY KEY, name TEXT, f INTEGER)")
        db.execute("DELETE FROM dim")
        db.executemany("INSERT INTO dim VALUES (?, ?, ?)",
                       [(k, name, f) for k, (name, f) in sorted(version.items())])
    db.close()


def expected(names, left, right, versions, left_vers, got):
    """Each case's rows from SQLite: l's rows with, for a lookup query, the
    dim version each was joined under (left_vers[name]: alternatives, each a
    list whose [i] indexes versions; the one giving `got`'s rows is taken,
    else the first; version 0 for a query not in left_vers)."""
    db = sqlite3.connect(":memory:")
    db.create_function("ts_text", 1, ts_text, deterministic=True)
    db.execute("CREATE TABLE l (k INTEGER, v INTEGER, g INTEGER, t INTEGER, ts TEXT, ver INTEGER)")
    db.execute("CREATE TABLE r (k INTEGER, w INTEGER, t INTEGER, ts TEXT)")
    db.execute("CREATE TABLE dim_hist (ver INTEGER, k INTEGER, name TEXT, f INTEGER)")
    db.executemany("INSERT INTO l VALUES (?, ?, ?, ?, ?, 0)",
                   [(k, v, g, t, ts_text(t)) for k, v, g, t in left])
    db.executemany("INSERT INTO r VALUES (?, ?, ?, ?)", [(k, w, t, ts_text(t)) for k, w, t in right])
    db.executemany("INSERT INTO dim_hist VALUES (?, ?, ?, ?)",
                   [(ver, k, name, f) for ver, dim in enumerate(versions)
                    for k, (name, f) in dim.items()])
    out = {}
    for name in names:
        for vers in left_vers.get(name, [[0] * len(left)]):
            db.executemany("UPDATE l SET ver = ? WHERE rowid = ?",
                           [(ver, i + 1) for i, ver in enumerate(vers)])
            rows = sorted(db.execute(CASES[name].sqlite).fetchall(), key=repr)
            if name not in out or rows == got[name]:
                out[name] = rows
            if rows == got[name]:
                break
    return out


def read_tables(db_path, names):
    db = sqlite3.connect(db_path)
    out = {name: sorted(db.execute('SELECT * FROM "%s"' % name).fetchall(), key=repr)
           for name in names}
    db.close()
    return out


def run_sluice(sluice, sql_path, db_path, timeout=300):
    p = subprocess.run([sluice, "run", "--db", db_path, sql_path], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, timeout=timeout)
    return p.returncode, p.stderr.decode(errors="replace")


def supported(sluice, work, names):
    """Runs the cases over empty files: the cases Sluice accepts, and for the
    others the first line of its error. One run while all are accepted; a
    refused one (its error names its line of the script) is left out and the
    rest run again."""
    for name, header in (("l", L_HEADER), ("r", R_HEADER)):
        with open(os.path.join(work, "empty_%s.csv" % name), "w") as f:
            f.write(header)
    ok, refused = list(names), {}
    db, sql = os.path.join(work, "probe.db"), os.path.join(work, "probe.sql")
    while ok:
        for path in (db, db + "-wal", db + "-shm"):
            if os.path.exists(path):
                os.remove(path)
        write_dim(db, {})
        with open(sql, "w") as f:
            f.write(streams_sql("FILE '%s'" % os.path.join(work, "empty_l.csv"),
                                "FILE '%s'" % os.path.join(work, "empty_r.csv")))
            f.write(queries_sql(ok))
        rc, err = run_sluice(sluice, sql, db, timeout=120)
        if rc == 0:
            break
        # The script's lines: the two streams, then a query a line.
        where = re.search(re.escape(sql) + r":(\d+):", err)
        line = int(where.group(1)) if where else 0
        if rc < 0 or rc > 2 or not 3 <= line < 3 + len(ok):
            raise SystemExit("sluice failed (exit %d) on the queries over no rows:\n%s"
                             % (rc, err[-2000:]))
        name = ok.pop(line - 3)
        refused[name] = next((s for s in err.splitlines() if ": error:" in s),
                             "exit %d" % rc).replace(sql + ":", "line ")
    return ok, refused


def run_file(sluice, work, names, left, right, versions):
    for stream, rows, header in (("l", left, L_HEADER), ("r", right, R_HEADER)):
        with open(os.path.join(work, stream + ".csv"), "w") as f:
            f.write(header + "".join(csv_line(row) for row in rows))
    db, sql = os.path.join(work, "file.db"), os.path.join(work, "file.sql")
    write_dim(db, versions[0])
    with open(sql, "w") as f:
        f.write(streams_sql("FILE '%s'" % os.path.join(work, "l.csv"),
                            "FILE '%s'" % os.path.join(work, "r.csv")))
        f.write(queries_sql(names))
    rc, err = run_sluice(sluice, sql, db)
    if rc != 0:
        raise SystemExit("sluice failed on the file cut (exit %d):\n%s" % (rc, err[-2000:]))
    return read_tables(db, names), {}


class Feeder:
    """Serves one stream's CSV on a local socket, piece by piece as the
    controller releases them, to every connection (the stream's reader)."""

    def __init__(self, header, pieces):
        self.header, self.pieces = header.encode(), pieces
        self.released = 0
        self.cond = threading.Condition()
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self.feed, args=(conn,), daemon=True).start()

    def feed(self, conn):
        with conn:
            try:
                conn.sendall(self.header)
                sent = 0
                while sent < len(self.pieces):
                    with self.cond:
                        self.cond.wait_for(lambda: self.released > sent)
                        upto = self.released
                    conn.sendall(b"".join(self.pieces[sent:upto]))
                    sent = upto
            except OSError:
                pass

    def release(self, n):
        with self.cond:
            self.released = n
            self.cond.notify_all()

    def close(self):
        self.server.close()


def committed_rows(db_path, names):
    """The rows each of the queries has committed so far (its batches' rows_in)."""
    try:
        db = sqlite3.connect(db_path, timeout=60)
        try:
            got = dict(db.execute("SELECT query, sum(rows_in) FROM _sluice_progress GROUP BY query"))
        finally:
            db.close()
    except sqlite3.OperationalError:  # not created yet
        return {}
    return {name: got.get(name) or 0 for name in names}


def batch_versions(db_path, name, edits, nrows):
    """The dim versions each l row of lookup query `name` may have been
    joined under: its batch's (the batches' rows_in, in order, cut l's rows),
    the version committed before the batch began (`started`). edits:
    (begun, committed) wall times of each edit, in µs. A batch that began
    while an edit was committing may have either version: the result is a
    list of alternatives, one per choice for such batches (at most 3 of
    them; the harness keeps batch starts away from its edits)."""
    db = sqlite3.connect(db_path)
    batches = db.execute("SELECT rows_in, started FROM _sluice_progress WHERE query = ?"
                         " AND rows_in > 0 ORDER BY batch_id", (name,)).fetchall()
    db.close()
    choices = []  # per batch: (rows, [versions it may have seen])
    for rows_in, started in batches:
        t = datetime.datetime.strptime(started, "%Y-%m-%d %H:%M:%S.%f").replace(
            tzinfo=datetime.timezone.utc).timestamp() * US
        before = sum(1 for _, committed in edits if committed < t)
        during = any(begun <= t <= committed for begun, committed in edits)
        choices.append((rows_in, [before, before + 1] if during else [before]))
    if sum(rows for rows, _ in choices) != nrows:
        raise SystemExit("%s: its batches read %d rows of l, not %d"
                         % (name, sum(rows for rows, _ in choices), nrows))
    if sum(len(vers) > 1 for _, vers in choices) > 3:
        raise SystemExit("%s: more than 3 batches began while dim was being edited" % name)
    return [sum(([ver] * rows for (rows, _), ver in zip(choices, pick)), [])
            for pick in itertools.product(*(vers for _, vers in choices))]


def run_socket(sluice, work, tag, names, left, right, cuts, versions, pause, edit_every):
    """Feeds l and r over sockets, cuts[i] rows of each at a time with a
    pause between (a pause longer than the trigger ends a batch). Every
    edit_every pieces, once the lookup queries have committed every l row
    sent, dim moves to its next version, and the next piece waits until the
    batch open during the edit has ended. Returns the tables and, for each
    lookup query, each l row's dim version."""
    def pieces(rows):
        out, at = [], 0
        for n in cuts:
            out.append("".join(csv_line(row) for row in rows[at:at + n]).encode())
            at += n
        return out

    lookups = [name for name in names if CASES[name].lookup]
    db, sql = os.path.join(work, tag + ".db"), os.path.join(work, tag + ".sql")
    write_dim(db, versions[0])
    feeders = [Feeder(L_HEADER, pieces(left)), Feeder(R_HEADER, pieces(right))]
    with open(sql, "w") as f:
        f.write(streams_sql("SOCKET '127.0.0.1:%d'" % feeders[0].port,
                            "SOCKET '127.0.0.1:%d'" % feeders[1].port))
        f.write(queries_sql(names))
    proc = subprocess.Popen([sluice, "run", "--db", db, sql], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    edits, sent = [], 0
    try:
        for i, n in enumerate(cuts):
            for feeder in feeders:
                feeder.release(i + 1)
            sent = min(len(left), sent + n)
            time.sleep(pause)
            if lookups and (i + 1) % edit_every == 0 and len(edits) + 1 < len(versions) \
                    and i + 1 < len(cuts):
                deadline = time.time() + 120
                while min(committed_rows(db, lookups).values() or [0]) < sent:
                    if proc.poll() is not None or time.time() > deadline:
                        raise SystemExit("%s: the lookup queries did not commit the %d rows sent"
                                         " (sluice exit %s)" % (tag, sent, proc.poll()))
                    time.sleep(0.01)
                # The batch after that commit begins at once: edit after it has.
                time.sleep(2 * TRIGGER_S)
                begun = time.time() * US
                write_dim(db, versions[len(edits) + 1])
                edits.append((begun, time.time() * US))
                # A batch begins (and takes its snapshot of dim) before its rows
                # come: let the one open during the edit end, 5 triggers.
                time.sleep(5 * TRIGGER_S)
        _, err = proc.communicate(timeout=300)
    finally:
        for feeder in feeders:
            feeder.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if proc.returncode != 0:
        raise SystemExit("sluice failed on %s (exit %d):\n%s"
                         % (tag, proc.returncode, err.decode(errors="replace")[-2000:]))
    left_vers = {name: batch_versions(db, name, edits, len(left)) for name in lookups}
    for name, alternatives in left_vers.items():
        if edits and len(set(alternatives[0])) < 2:
            raise SystemExit("%s: %s saw one version of dim over %d edits" % (tag, name, len(edits)))
    return read_tables(db, names), left_vers


def compare(got, want, what):
    bad = 0
    for name, rows in want.items():
        if got[name] != rows:
            bad += 1
            missing = [r for r in rows if r not in got[name]][:4]
            extra = [r for r in got[name] if r not in rows][:4]
            print("%s: %s differs (%d rows, want %d)\n  missing %s\n  extra %s"
                  % (what, name, len(got[name]), len(rows), missing, extra))
    return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sluice")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rows", type=int, default=1500, help="rows of each stream")
    ap.add_argument("--cases", help="comma-separated case names (default: all): " + ",".join(CASES))
    ap.add_argument("--quick", action="store_true", help="skip the socket batch-cut runs")
    ap.add_argument("--strict", action="store_true", help="a case Sluice refuses fails the test")
    ap.add_argument("--keep", help="keep the work files in this folder")
    args = ap.parse_args()
    names = args.cases.split(",") if args.cases else list(CASES)
    unknown = [n for n in names if n not in CASES]
    if unknown:
        raise SystemExit("unknown case(s) %s; the cases: %s" % (", ".join(unknown), ", ".join(CASES)))
    rng = random.Random(args.seed)
    left, right = generate(rng, args.rows)
    work = args.keep or tempfile.mkdtemp(prefix="sluice-joins-")
    os.makedirs(work, exist_ok=True)
    bad = 0
    try:
        names, refused = supported(args.sluice, work, names)
        for name, why in refused.items():
            print("%s: %s (%s): %s" % ("FAIL" if args.strict else "skipped", name,
                                       CASES[name].feature, why))
        if args.strict and refused:
            bad += len(refused)
        if not names:
            print("no case to run")
            return 1 if bad else 0
        versions = dim_versions(rng, 12)
        got, ver = run_file(args.sluice, work, names, left, right, versions)
        bad += compare(got, expected(names, left, right, versions, ver, got), "one batch")
        if not args.quick:
            n = min(len(left), 80)
            got, ver = run_socket(args.sluice, work, "row_per_batch", names, left[:n], right[:n],
                                  [1] * n, versions, 0.03, 10)
            bad += compare(got, expected(names, left[:n], right[:n], versions, ver, got),
                           "one row per batch")
            cuts, rest = [], len(left)
            while rest:
                cuts.append(min(rest, rng.choice([1, 2, 5, 17, 64, 300])))
                rest -= cuts[-1]
            got, ver = run_socket(args.sluice, work, "random_batches", names, left, right, cuts,
                                  versions, 0.03, max(1, len(cuts) // 10))
            bad += compare(got, expected(names, left, right, versions, ver, got),
                           "random batch sizes")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if bad:
        print("FAIL: %d table(s) differ" % bad)
        return 1
    print("ok: %d case(s) (%s), %d rows a stream, %s (seed %d)"
          % (len(names), ", ".join(names), len(left),
             "one batch" if args.quick else "three batch cuts", args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
