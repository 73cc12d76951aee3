#!/usr/bin/env bash
# Every bad record is accounted for: 10,000 records in each of FORMAT TEXT, CSV
# and JSON, read from a FILE, of which 5% are malformed in every way the format
# can be (a wrong field count, an unparsable number or timestamp, bad JSON, a
# record over max_record_bytes, invalid UTF-8 or a NUL byte in a TEXT column). Every good
# record is counted exactly (per key, against what was generated), every bad
# one is a dead letter at its offset with its bytes (an over-long one's first
# 4 KiB) and the reason its kind must give, and sluice exits cleanly.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

python3 - <<'PY'
import json, random
rnd = random.Random(12)
N, LIMIT = 10000, 2000

def write(name, records, expected_letters):
    """records: (bytes, good-or-None); writes the file, the good rows' sums and the letters."""
    data, offset, letters, sums = [], 0, [], {}
    for raw, good in records:
        if good is None:
            letters.append((offset, raw))
        else:
            key, price = good
            n, s = sums.get(key, (0, 0))
            sums[key] = (n + 1, s + price)
        data.append(raw)
        offset += len(raw)
    open(name, 'wb').write(b''.join(data))
    with open(name + '.expected', 'w') as f:
        for key in sorted(sums):
            f.write('%s|%d|%d\n' % (key, sums[key][0], sums[key][1]))
    with open(name + '.letters', 'w') as f:
        for (offset, raw), reason in zip(letters, expected_letters):
            f.write(json.dumps([offset, raw.rstrip(b'\r\n').decode('latin-1'), reason]) + '\n')

def stamp(i):
    return '2026-03-01 10:%02d:%02d' % ((i // 60) % 60, i % 60)

def records(good_line, bad_kinds):
    out, reasons, nbad = [], [], 0
    for i in range(N):
        if i % 20 == 7:
            raw, reason = bad_kinds[nbad % len(bad_kinds)](i)
            out.append((raw, None))
            reasons.append(reason)
            nbad += 1
        else:
            key, price = 'k%d' % rnd.randrange(20), rnd.randrange(1000)
            out.append((good_line(i, key, price), (key, price)))
    return out, reasons

too_long = 'a record of %d bytes is longer than max_record_bytes (2000)'

# TEXT: "key price" lines, some with CRLF and some in UTF-8; the query splits them.
def text_good(i, key, price):
    return ('%s %d caf\u00e9 %d' % (key, price, i)).encode() + (b'\r\n' if i % 3 == 0 else b'\n')
text_bad = [
    lambda i: (b'k1 5 caf\xe9\n', 'column "line": invalid UTF-8 at byte 8'),
    lambda i: (b'k1 5 \xed\xa0\x80 surrogate\r\n', 'column "line": invalid UTF-8 at byte 5'),
    lambda i: (b'k1 5 nul\x00 byte\n', 'column "line": a NUL byte at byte 8 (TEXT cannot hold one)'),
    lambda i: (b'k1 5 ' + b'x' * 5000 + b'\n', too_long % 5005),
]
recs, reasons = records(text_good, text_bad)
write('in.txt', recs, reasons)

# CSV: id, k, price, ts; good rows sometimes quote k or end in CRLF (both decoder paths).
def csv_good(i, key, price):
    k = '"%s"' % key if i % 4 == 0 else key
    return ('%d,%s,%d,%s' % (i, k, price, stamp(i))).encode() + (b'\r\n' if i % 5 == 0 else b'\n')
csv_bad = [
    lambda i: (b'%d,k1,5\n' % i, 'expected 4 fields, got 3'),
    lambda i: (b'%d,k1,5,%s,extra\n' % (i, stamp(i).encode()), 'expected 4 fields, got 5'),
    lambda i: (b'%d,k1,abc,%s\n' % (i, stamp(i).encode()), 'column "price": \'abc\' is not a valid INTEGER'),
    lambda i: (b'%d,k1,5,sometime\n' % i, 'column "ts": \'sometime\' is not a valid TIMESTAMP'),
    lambda i: (b'%d,caf\xe9,5,%s\n' % (i, stamp(i).encode()),
               'column "k": invalid UTF-8 at byte %d' % (len(str(i)) + 4)),
    lambda i: (b'%d,"q\xc3",5,%s\n' % (i, stamp(i).encode()),
               'column "k": invalid UTF-8 at byte %d' % (len(str(i)) + 3)),
    lambda i: (b'%d,k\x001,5,%s\n' % (i, stamp(i).encode()),
               'column "k": a NUL byte at byte %d (TEXT cannot hold one)' % (len(str(i)) + 2)),
    lambda i: (b'%d,"\x00k",5,%s\n' % (i, stamp(i).encode()),
               'column "k": a NUL byte at byte %d (TEXT cannot hold one)' % (len(str(i)) + 2)),
    lambda i: (b'%d,%s,5,%s\n' % (i, b'y' * 3000, stamp(i).encode()),
               too_long % (len(str(i)) + 3000 + 3 + 19 + 1)),
    lambda i: (b'%d,"%s",5,%s\n' % (i, b'z\n' * 1500, stamp(i).encode()),
               too_long % (len(str(i)) + 3000 + 5 + 19 + 1)),
]
recs, reasons = records(csv_good, csv_bad)
write('in.csv', recs, reasons)

# JSON: the same columns as keys.
def json_good(i, key, price):
    return ('{"id": %d, "k": "%s", "price": %d, "ts": "%s"}\n' % (i, key, price, stamp(i))).encode()
json_bad = [
    lambda i: (b'{"id": %d, "k": "k1", "price": 5\n' % i, 'bad JSON at byte %d: expected \',\' or \'}\'' % (len(str(i)) + 30)),
    lambda i: (b'[{"id": %d}]\n' % i, 'an array, not a JSON object: a record is one object'),
    lambda i: (b'{"id": %d, "k": "k1", "price": "cheap"}\n' % i, 'column "price": "cheap" is not a valid INTEGER'),
    lambda i: (b'{"id": %d, "k": "k1", "ts": "sometime"}\n' % i, 'column "ts": "sometime" is not a valid TIMESTAMP'),
    lambda i: (b'{"id": %d, "k": "caf\xe9"}\n' % i, 'bad JSON at byte %d: invalid UTF-8 in a string' % (len(str(i)) + 18)),
    lambda i: (b'{"id": %d, "k": "%s"}\n' % (i, b'w' * 4000), too_long % (len(str(i)) + 4000 + 17)),
]
recs, reasons = records(json_good, json_bad)
write('in.ndjson', recs, reasons)
PY

cat >q.sql <<'SQL'
CREATE STREAM lines (line TEXT) FROM FILE 'in.txt' FORMAT TEXT (max_record_bytes = 2000);
CREATE STREAM rows_csv (id BIGINT, k TEXT, price BIGINT, ts TIMESTAMP)
  FROM FILE 'in.csv' FORMAT CSV (max_record_bytes = 2000);
CREATE STREAM rows_json (id BIGINT, k TEXT, price BIGINT, ts TIMESTAMP)
  FROM FILE 'in.ndjson' FORMAT JSON (max_record_bytes = 2000);
CREATE QUERY per_key_text AS
  SELECT split_part(line, ' ', 1) AS k, COUNT(*) AS n, SUM(CAST(split_part(line, ' ', 2) AS BIGINT)) AS s
  FROM lines GROUP BY split_part(line, ' ', 1);
CREATE QUERY per_key_csv AS SELECT k, COUNT(*) AS n, SUM(price) AS s FROM rows_csv GROUP BY k;
CREATE QUERY per_key_json AS SELECT k, COUNT(*) AS n, SUM(price) AS s FROM rows_json GROUP BY k;
SQL
"$SLUICE" run --db db q.sql 2>err.txt || { cat err.txt; fail "sluice run failed"; }

for pair in text:lines:in.txt csv:rows_csv:in.csv json:rows_json:in.ndjson; do
  IFS=: read -r fmt stream file <<<"$pair"
  sqlite3 db "SELECT k || '|' || n || '|' || s FROM per_key_$fmt ORDER BY k" >"$fmt.actual"
  diff -q "$file.expected" "$fmt.actual" >/dev/null || {
    diff "$file.expected" "$fmt.actual" | head -10
    fail "$fmt: the good records' counts per key differ from what was generated"
  }
  python3 - db "$stream" "$file.letters" <<'PY' || fail "$fmt: dead letters differ from the bad records"
import json, sqlite3, sys
db, stream, expected_file = sys.argv[1:]
got = sqlite3.connect(db).execute(
    'SELECT "offset", CAST(record AS BLOB), error FROM _sluice_dead_letters WHERE stream = ? '
    'ORDER BY "offset"', (stream,)).fetchall()
want = [json.loads(line) for line in open(expected_file)]
if len(got) != len(want):
    sys.exit('%s: %d dead letters, expected %d' % (stream, len(got), len(want)))
for (offset, record, error), (w_offset, w_raw, w_reason) in zip(got, want):
    raw = w_raw.encode('latin-1')
    if 'max_record_bytes' in w_reason:
        raw = raw[:4096]
    if offset != w_offset or bytes(record) != raw or error != w_reason:
        sys.exit('%s: at %d got %r (%d bytes) %r\nexpected at %d %r (%d bytes) %r' % (
            stream, offset, bytes(record)[:40], len(record), error, w_offset, raw[:40], len(raw),
            w_reason))
print('ok: %s, %d dead letters, %d kinds of reason' % (stream, len(got), len({w[2].split(':')[0] if 'column' in w[2] else w[2][:12] for w in want})))
PY
done
echo "1 passed, 0 failed"
