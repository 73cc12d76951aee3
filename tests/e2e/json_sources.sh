#!/usr/bin/env bash
# FORMAT JSON from a file, stdin and a socket (fed in 777-byte pieces, so records
# are cut anywhere): 20,000 lines of which 5% are malformed in every way a line
# can be (bad JSON, an array, a scalar, a wrong type, an unreadable timestamp,
# an integer past 64 bits, invalid UTF-8, a line over max_record_bytes). Every
# good line is counted (per user, against sqlite3's json_extract over the good
# lines), every bad one is a dead letter with a reason, and nothing crashes.
source "$(dirname "$0")/lib.bash"

python3 - "$WORK" <<'PY'
import random, sys
work = sys.argv[1]
rnd = random.Random(12)
bad_kinds = [
    b'{"user": {"id": 1}, "price": 3',
    b'[{"user": {"id": 1}}]',
    b'42',
    b'{"user": {"id": 1}, "price": "cheap"}',
    b'{"user": {"id": 1}, "ts": "sometime"}',
    b'{"user": {"id": 1}, "price": 123456789012345678901234}',
    b'{"user": {"id": 1}, "note": "caf\xe9"}',
    b'{"user": {"id": 1}, "note": "' + b'z' * 5000 + b'"}',
]
good, lines, nbad = [], [], 0
for i in range(20000):
    if i % 20 == 7:
        lines.append(bad_kinds[nbad % len(bad_kinds)])
        nbad += 1
        continue
    line = b'{"id": %d, "user": {"id": %d, "name": "u%d"}, "price": %d, "ts": "2026-03-01 10:%02d:%02d", "tags": ["t%d"]}' % (
        i, rnd.randrange(50), rnd.randrange(50), rnd.randrange(1000), (i // 60) % 60, i % 60, i % 3)
    good.append(line)
    lines.append(line)
open(work + '/in.ndjson', 'wb').write(b'\n'.join(lines) + b'\n')
open(work + '/good.ndjson', 'wb').write(b'\n'.join(good) + b'\n')
open(work + '/nbad', 'w').write(str(nbad))
PY
nbad=$(cat "$WORK/nbad")

# The oracle: per user, the count and sum over the good lines with sqlite3's json_extract.
python3 - "$WORK" <<'PY'
import sqlite3, sys
work = sys.argv[1]
db = sqlite3.connect(work + '/oracle.db')
db.execute('CREATE TABLE l (line TEXT)')
db.executemany('INSERT INTO l VALUES (?)', ((x,) for x in open(work + '/good.ndjson').read().splitlines()))
db.commit()
PY
sqlite3 "$WORK/oracle.db" "SELECT u || '|' || count(*) || '|' || sum(p) FROM (SELECT
  json_extract(line, '\$.user.id') AS u, json_extract(line, '\$.price') AS p FROM l)
  GROUP BY u ORDER BY u" >"$WORK/expected"
[ "$(wc -l <"$WORK/expected")" -eq 50 ] || fail "the oracle has $(wc -l <"$WORK/expected") users, not 50"

stream_cols="(id BIGINT, user_id BIGINT PATH '\$.user.id', price BIGINT, ts TIMESTAMP,
  first_tag TEXT PATH '\$.tags[0]', note TEXT)"
query="CREATE QUERY per_user AS SELECT user_id, COUNT(*) AS n, SUM(price) AS total
  FROM orders GROUP BY user_id TRIGGER EVERY 100 MILLISECONDS;"

check() {
  sqlite3 "$1" "SELECT user_id || '|' || n || '|' || total FROM per_user ORDER BY user_id" \
    >"$WORK/actual"
  diff -q "$WORK/expected" "$WORK/actual" >/dev/null || {
    diff "$WORK/expected" "$WORK/actual" | head -10
    fail "$2: per-user counts differ from sqlite3's json_extract"
  }
  local letters reasons
  letters=$(sqlite3 "$1" "SELECT count(*) FROM _sluice_dead_letters WHERE error <> ''")
  [ "$letters" -eq "$nbad" ] || fail "$2: $letters dead letters, expected $nbad"
  reasons=$(sqlite3 "$1" "SELECT count(DISTINCT substr(error, 1, 12)) FROM _sluice_dead_letters")
  [ "$reasons" -ge 5 ] || fail "$2: only $reasons kinds of reason"
  sqlite3 "$1" "SELECT count(*) FROM _sluice_dead_letters WHERE error LIKE '%max_record_bytes%'
    AND length(record) = 4096" | grep -qx "$((nbad / 8))" ||
    fail "$2: the over-long lines' dead letters do not keep their first 4 KiB"
  echo "ok: $2 ($(wc -l <"$WORK/actual") users, $letters dead letters)"
}

fmt="FORMAT JSON (max_record_bytes = 2000)"
echo "CREATE STREAM orders $stream_cols FROM FILE '$WORK/in.ndjson' $fmt; $query" >"$WORK/file.sql"
"$SLUICE" run --db "$WORK/file.db" "$WORK/file.sql"
check "$WORK/file.db" file

echo "CREATE STREAM orders $stream_cols FROM STDIN $fmt; $query" >"$WORK/stdin.sql"
"$SLUICE" run --db "$WORK/stdin.db" "$WORK/stdin.sql" <"$WORK/in.ndjson"
check "$WORK/stdin.db" stdin

start_feeder "$WORK/in.ndjson" --chunk 777
echo "CREATE STREAM orders $stream_cols FROM SOCKET '127.0.0.1:$FEEDER_PORT' $fmt; $query" \
  >"$WORK/socket.sql"
"$SLUICE" run --db "$WORK/socket.db" "$WORK/socket.sql"
check "$WORK/socket.db" socket
echo "1 passed, 0 failed"
