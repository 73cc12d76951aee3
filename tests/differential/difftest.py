#!/usr/bin/env python3
"""Differential test: random scalar expressions over random rows, evaluated
by Sluice (a projection query over a CSV stream) and by sqlite3 (a SELECT
over the same rows in a table with the same declared types). SQLite is the
oracle: every value and its type (typeof) must be identical.

    difftest.py SLUICE [--seed N] [--expressions N] [--rows N] [--keep DIR]
                       [--forms NAME,...] [--without NAME,...] [--derived]

Exit 0 when all agree; otherwise prints the first disagreements (the
expression, the row, both answers) and exits 1. The forms generated are
the keys of FORMS below (all by default); README.md says how to explore and
how to reproduce a mismatch.
"""
import argparse
import os
import random
import sqlite3
import subprocess
import sys
import tempfile

COLUMNS = [("i", "INTEGER"), ("j", "INTEGER"), ("r", "REAL"), ("t", "TEXT"), ("u", "TEXT")]
INT_EDGES = [0, 1, -1, 2, 7, -13, 255, 2**31 - 1, -2**31, 2**53 + 1, 2**62, 2**63 - 1, -2**63]
REAL_EDGES = [0.0, -0.0, 0.5, -2.5, 1e-7, 3.141592653589793, 1e15, 1.5e300, -7.25]
WORDS = ["", "a", "A", "abc", "ABC", "héllo", "Straße", "日本語", "  pad  ", "x y", "12",
         "-3", "4.5", "1e3", "0x10", "%", "_", "a%b", "it's", "NULL", "tab\tin", "ünïcödé"]
EXPRS_PER_QUERY = 60
# --derived: both sides read the rows through this derived table, so the
# columns arrive with the affinity their expressions give them (none for
# j + 0 and u || '', TEXT for the CAST) and some rows are filtered out.
DERIVED = ("(SELECT id, i, j + 0 AS j, r, CAST(t AS TEXT) AS t, u || '' AS u FROM rows "
           "WHERE id % 5 <> 2) AS d")


def random_value(rng, kind):
    if rng.random() < 0.15:
        return None
    if kind == "INTEGER":
        return rng.choice(INT_EDGES) if rng.random() < 0.3 else rng.randint(-1000, 1000)
    if kind == "REAL":
        return rng.choice(REAL_EDGES) if rng.random() < 0.3 else round(rng.uniform(-1e4, 1e4), 3)
    return rng.choice(WORDS) if rng.random() < 0.7 else "".join(
        rng.choice("abcXYZ éü 0123") for _ in range(rng.randint(0, 8)))


def sql_literal(value):
    if value is None:
        return "NULL"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, float):
        return repr(value)
    return str(value)


class Generator:
    """Builds random expressions from the forms Sluice supports."""

    def __init__(self, rng, forms):
        self.rng = rng
        self.forms = forms

    def literal(self):
        kind = self.rng.choice(["INTEGER", "REAL", "TEXT"])
        value = random_value(self.rng, kind)
        if isinstance(value, (int, float)) and value < 0:
            return "(" + sql_literal(value) + ")"
        return sql_literal(value)

    def leaf(self):
        if self.rng.random() < 0.6:
            return self.rng.choice(COLUMNS)[0]
        return self.literal()

    def expr(self, depth):
        if depth <= 0 or self.rng.random() < 0.25:
            return self.leaf()
        form = self.rng.choice(self.forms)
        return form(self, depth - 1)


def binary(ops):
    return lambda g, d: "(%s %s %s)" % (g.expr(d), g.rng.choice(ops), g.expr(d))


def unary(ops):
    return lambda g, d: "(%s %s)" % (g.rng.choice(ops), g.expr(d))


def call(name, lo, hi=None):
    """name(args) with lo..hi arguments (hi defaults to lo)."""
    hi = lo if hi is None else hi
    return lambda g, d: "%s(%s)" % (
        name, ", ".join(g.expr(d) for _ in range(g.rng.randint(lo, hi))))


def postfix(ops):
    return lambda g, d: "(%s %s)" % (g.expr(d), g.rng.choice(ops))


def in_list(g, d):
    # Not x IN (): SQLite 3.40 gets 'a' IS NOT (1 IN ()) wrong (0); tests/sql covers IN ().
    items = ", ".join(g.expr(d) for _ in range(g.rng.randint(1, 4)))
    return "(%s %sIN (%s))" % (g.expr(d), g.rng.choice(["", "NOT "]), items)


def between(g, d):
    return "(%s %sBETWEEN %s AND %s)" % (g.expr(d), g.rng.choice(["", "NOT "]), g.expr(d), g.expr(d))


PATTERNS = ["%", "a%", "%b%", "_", "a_c", "%\\%%", "A%", "[a-c]*", "*[0-9]*", "?b*", "[^x]*",
            "1%", "%.%", "é%", "%!%%", "x y"]


def pattern(g, d):
    return sql_literal(g.rng.choice(PATTERNS)) if g.rng.random() < 0.6 else g.expr(d)


def like(g, d):
    no = g.rng.choice(["", "NOT "])
    if g.rng.random() < 0.3:
        return "(%s %sLIKE %s ESCAPE %s)" % (g.expr(d), no, pattern(g, d),
                                            sql_literal(g.rng.choice(["\\", "!", "%", "a"])))
    return "(%s %s%s %s)" % (g.expr(d), no, g.rng.choice(["LIKE", "GLOB"]), pattern(g, d))


def case(g, d):
    base = g.expr(d) + " " if g.rng.random() < 0.5 else ""
    whens = " ".join("WHEN %s THEN %s" % (g.expr(d), g.expr(d))
                     for _ in range(g.rng.randint(1, 3)))
    other = " ELSE %s" % g.expr(d) if g.rng.random() < 0.6 else ""
    return "CASE %s%s%s END" % (base, whens, other)


CAST_TYPES = ["INTEGER", "INT", "BIGINT", "REAL", "DOUBLE", "FLOAT", "TEXT", "VARCHAR"]


def cast(g, d):
    return "CAST(%s AS %s)" % (g.expr(d), g.rng.choice(CAST_TYPES))


FORMATS = ["%d", "%s", "%.3f", "%5s|%-5s", "%x", "%c", "%e", "%g", "%%", "%q", "%Q", "%i",
           "%o", "%,d", "%10.3s", "%!.15g", "%05d", "%+d", "<%s:%s>"]


def printf(name):
    return lambda g, d: "%s(%s)" % (name, ", ".join(
        [sql_literal(g.rng.choice(FORMATS))] + [g.expr(d) for _ in range(g.rng.randint(0, 2))]))


TIMES = ["2024-02-29", "2024-02-29 13:45:30.123", "2023-01-01T00:00:00", "12:34", "12:34:56.789",
         "2023-03-15 10:00:00+02:00", "2023-03-15 10:00Z", "2023-02-31", "0000-01-01",
         "9999-12-31 23:59:59", "2451545.5", "1999-12-31 23:59:59.999", "2023-13-01", "1970-01-01"]
TIME_NUMBERS = ["2460000.5", "0", "1700000000", "(i * 86400)", "(r * 1000)", "2451545", "(-1)"]
# Not 'localtime' and 'utc': on a time already outside 0000..9999, SQLite 3.40 answers values
# Sluice does not reproduce (tests/sql/fn_datetime.sql covers them on valid times).
MODIFIERS = ["+1 day", "-3 days", "+1.5 days", "+36 hours", "-90 minutes", "+3600 seconds",
             "+1 month", "-14 months", "+1.5 months", "+1 year", "-1.25 years", "start of month",
             "start of year", "start of day", "weekday 0", "weekday 3", "unixepoch", "julianday",
             "auto", "+01:30", "-01:30:15.5", "bogus", "+1 DAYS"]
STRFTIME_FORMATS = ["%Y-%m-%d %H:%M:%f", "%j|%J|%s", "%w %W", "%d/%m/%Y %S", "%%", "%Q", "x"]


def time_value(g, d):
    roll = g.rng.random()
    if roll < 0.45:
        return sql_literal(g.rng.choice(TIMES))
    if roll < 0.75:
        return g.rng.choice(TIME_NUMBERS)
    return g.expr(d)


def date_function(name):
    """name(time, modifiers...); strftime() gets a format first. Never 'now' (not repeatable)."""
    def form(g, d):
        args = [time_value(g, d)] + [
            sql_literal(g.rng.choice(MODIFIERS)) if g.rng.random() < 0.85 else g.expr(d)
            for _ in range(g.rng.randint(0, 3))]
        if name == "strftime":
            args.insert(0, sql_literal(g.rng.choice(STRFTIME_FORMATS))
                        if g.rng.random() < 0.85 else g.expr(d))
        return "%s(%s)" % (name, ", ".join(args))
    return form


# Minified, shortest numbers, no escapes Sluice would render differently (docs/sql.md, "JSON").
JSON_DOCS = ['{"a":{"b":[1,2.5,"x",true,false,null,{"c":[]}]},"n":-7}', '[10,[20,30],{"k":"v"}]',
             '{"a.b":5,"t":"text"}', '"s"', '42', '-1.5', 'null', '{}', '[]', '{"a":[{"b":1},{"b":2}]}']
JSON_PATHS = ["$", "$.a", "$.a.b", "$.a.b[1]", "$.a.b[6]", "$[1]", "$[1][0]", "$[2].k", "$.n",
              '$."a.b"', "$.t", "$.a[1].b", "$.a.b[#-1]", "$[#-3]", "$.missing", "$[9]"]


def json_extract(g, d):
    doc = sql_literal(g.rng.choice(JSON_DOCS)) if g.rng.random() < 0.85 else g.expr(d)
    path = sql_literal(g.rng.choice(JSON_PATHS)) if g.rng.random() < 0.9 else g.expr(d)
    return "json_extract(%s, %s)" % (doc, path)


# Shift amounts that shift some bits, not only all of them out (or a negative amount).
SHIFTS = ["0", "1", "3", "31", "62", "63", "64", "65", "(-1)", "(-63)", "(-64)", "(-65)", "'2x'",
          "1.9", "(-9223372036854775808)"]


def bits(g, d):
    op = g.rng.choice(["&", "|", "<<", ">>"])
    right = g.rng.choice(SHIFTS) if op in ("<<", ">>") and g.rng.random() < 0.5 else g.expr(d)
    return "(%s %s %s)" % (g.expr(d), op, right)


# Operators of every precedence level, chained without parentheses, so that
# each side's grouping must be SQLite's; ~ and - in front of an operand too.
CHAIN_OPS = ["||", "*", "%", "+", "-", "&", "|", "<<", ">>", "<", ">=", "=", "<>", "IS",
             "AND", "OR"]


def chain(g, d):
    def operand():
        return g.rng.choice(["", "", "", "~", "-", "NOT "]) + g.expr(d)
    text = operand()
    for _ in range(g.rng.randint(2, 4)):
        text += " %s %s" % (g.rng.choice(CHAIN_OPS), operand())
    return "(%s)" % text


# The -> and ->> operators' paths: full ones, and SQLite's abbreviations
# (a label, an array index as an integer or as text, a path without '$').
ARROW_PATHS = ["'$.a'", "'$.a.b[1]'", "'a'", "'n'", "'t'", "'a.b'", "'\"a.b\"'", "'missing'",
               "0", "1", "2", "'1'", "'[1]'", "'[2].k'", "'[#-1]'", "(-1)"]


def json_arrow(g, d):
    doc = sql_literal(g.rng.choice(JSON_DOCS)) if g.rng.random() < 0.8 else g.expr(d)
    return "(%s %s %s)" % (doc, g.rng.choice(["->", "->>"]), g.rng.choice(ARROW_PATHS))


# Every expression form Sluice has, every scalar function of SQLite's among
# them, except its documented deviations from SQLite (docs/sql.md): CAST AS
# BOOLEAN/TIMESTAMP, a non-constant ESCAPE, GLOB ... ESCAPE, Sluice's own
# functions (split(), split_part(), regexp_*(), to_timestamp(), date_trunc())
# and the non-deterministic ones, which no two runs agree on: random(),
# now() and the time 'now'.

FORMS = {
    "arith": binary(["+", "-", "*", "/", "%"]),
    "concat": binary(["||"]),
    "compare": binary(["=", "==", "<>", "!=", "<", "<=", ">", ">="]),
    "logic": binary(["AND", "OR"]),
    "is": binary(["IS", "IS NOT", "IS DISTINCT FROM", "IS NOT DISTINCT FROM"]),
    "unary": unary(["-", "+", "NOT", "~"]),
    "bits": bits,
    "chain": chain,
    "isnull": postfix(["IS NULL", "IS NOT NULL", "ISNULL", "NOTNULL", "NOT NULL"]),
    "in_list": in_list,
    "between": between,
    "like": like,
    "case": case,
    "cast": cast,
    "lower": call("lower", 1),
    "upper": call("upper", 1),
    "length": call("length", 1),
    "abs": call("abs", 1),
    "round": call("round", 1, 2),
    "sign": call("sign", 1),
    "min": call("min", 2, 3),
    "max": call("max", 2, 3),
    "coalesce": call("coalesce", 2, 3),
    "ifnull": call("ifnull", 2),
    "nullif": call("nullif", 2),
    "iif": call("iif", 3),
    "instr": call("instr", 2),
    "replace": call("replace", 3),
    "substr": call("substr", 2, 3),
    "substring": call("substring", 2, 3),
    "ltrim": call("ltrim", 1, 2),
    "rtrim": call("rtrim", 1, 2),
    "trim": call("trim", 1, 2),
    "typeof": call("typeof", 1),
    "hex": call("hex", 1),
    "quote": call("quote", 1),
    "char": call("char", 0, 3),
    "unicode": call("unicode", 1),
    "printf": printf("printf"),
    "format": printf("format"),
    "date": date_function("date"),
    "time": date_function("time"),
    "datetime": date_function("datetime"),
    "julianday": date_function("julianday"),
    "unixepoch": date_function("unixepoch"),
    "strftime": date_function("strftime"),
    "json_extract": json_extract,
    "json_arrow": json_arrow,
}


def write_rows(path, rows):
    """CSV the way Sluice reads it: NULL is an empty unquoted field, '' is quoted."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("id," + ",".join(name for name, _ in COLUMNS) + "\n")
        for row in rows:
            fields = [str(row[0])]
            for value in row[1:]:
                if value is None:
                    fields.append("")
                elif isinstance(value, str):
                    fields.append('"' + value.replace('"', '""') + '"')
                else:
                    fields.append(repr(value) if isinstance(value, float) else str(value))
            f.write(",".join(fields) + "\n")


def oracle_answers(rows, exprs, source):
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE rows (id INTEGER, %s)" % ", ".join("%s %s" % c for c in COLUMNS))
    db.executemany("INSERT INTO rows VALUES (%s)" % ",".join("?" * (len(COLUMNS) + 1)), rows)
    answers = {}
    for k, e in enumerate(exprs):
        try:
            result = db.execute("SELECT id, typeof(%s), quote(%s) FROM %s ORDER BY id"
                                % (e, e, source))
            answers[k] = [tuple(r) for r in result]
        except sqlite3.Error as err:
            answers[k] = str(err)
    return answers


def sluice_answers(sluice, work, exprs, source):
    """Runs every expression as a projection query; returns their (id, type, quote) rows."""
    csv_path = os.path.join(work, "rows.csv")
    stream_cols = ", ".join("%s %s" % c for c in COLUMNS)
    lines = ["CREATE STREAM rows (id INTEGER, %s) FROM FILE '%s' FORMAT CSV (header = true);"
             % (stream_cols, csv_path)]
    groups = [list(range(k, min(k + EXPRS_PER_QUERY, len(exprs))))
              for k in range(0, len(exprs), EXPRS_PER_QUERY)]
    for q, group in enumerate(groups):
        items = ", ".join("%s AS e%d" % (exprs[k], k) for k in group)
        lines.append("CREATE QUERY q%d AS SELECT id, %s FROM %s;" % (q, items, source))
    sql_path = os.path.join(work, "difftest.sql")
    with open(sql_path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    db_path = os.path.join(work, "difftest.db")
    run = subprocess.run([sluice, "run", "--db", db_path, sql_path],
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.stderr.write(run.stderr[:4000])
        raise SystemExit("difftest: sluice run failed (exit %d)" % run.returncode)
    db = sqlite3.connect(db_path)
    answers = {}
    for q, group in enumerate(groups):
        for k in group:
            result = db.execute("SELECT id, typeof(e%d), quote(e%d) FROM q%d ORDER BY id" % (k, k, q))
            answers[k] = [tuple(r) for r in result]
    return answers


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sluice")
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--expressions", type=int, default=2000)
    parser.add_argument("--rows", type=int, default=40)
    parser.add_argument("--keep", help="write the work files here and keep them")
    parser.add_argument("--forms", help="generate only these forms (comma-separated names of FORMS)")
    parser.add_argument("--without", help="generate all forms but these (comma-separated)")
    parser.add_argument("--derived", action="store_true",
                        help="read the rows through a derived table (DERIVED) on both sides")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    rows = [(n,) + tuple(random_value(rng, kind) for _, kind in COLUMNS) for n in range(args.rows)]
    names = args.forms.split(",") if args.forms else list(FORMS)
    unknown = [n for n in names + (args.without or "").split(",") if n and n not in FORMS]
    if unknown:
        raise SystemExit("difftest: unknown form %s; the forms are %s"
                         % (", ".join(unknown), ", ".join(FORMS)))
    dropped = set((args.without or "").split(","))
    gen = Generator(rng, [FORMS[n] for n in names if n not in dropped])
    exprs = [gen.expr(rng.randint(1, 4)) for _ in range(args.expressions)]
    source = DERIVED if args.derived else "rows"
    oracle = oracle_answers(rows, exprs, source)
    # An expression SQLite itself rejects is no test of Sluice.
    exprs_ok = [k for k in range(len(exprs)) if not isinstance(oracle[k], str)]

    work = args.keep or tempfile.mkdtemp(prefix="difftest-")
    os.makedirs(work, exist_ok=True)
    write_rows(os.path.join(work, "rows.csv"), rows)
    mine = sluice_answers(args.sluice, work, [exprs[k] for k in exprs_ok], source)

    failures = 0
    for pos, k in enumerate(exprs_ok):
        if mine[pos] == oracle[k]:
            continue
        failures += 1
        if failures <= 10:
            for got, want in zip(mine[pos], oracle[k]):
                if got != want:
                    row = rows[want[0]]
                    print("MISMATCH %s\n  row %s\n  sluice: %s %s\n  sqlite: %s %s"
                          % (exprs[k], dict(zip(["id"] + [c for c, _ in COLUMNS], row)),
                             got[1], got[2], want[1], want[2]))
                    break
    total = len(exprs_ok)
    print("%d expressions x %d rows (seed %d): %d agree, %d differ"
          % (total, len(rows), args.seed, total - failures, failures))
    print("%d passed, %d failed" % (total - failures, failures))
    if not args.keep:
        subprocess.run(["rm", "-rf", work])
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
