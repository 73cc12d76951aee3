#!/usr/bin/env bash
# FORMAT JSON over KAFKA: 20,000 messages, each one JSON object (no newline),
# over 4 partitions, 1 in 20 malformed (bad JSON, a wrong type, an array, a
# value past 64 bits). The GROUP BY over the user's PATH equals sqlite3's
# json_extract over the good messages, and every bad message is a dead letter
# holding the message itself, its partition and its offset.
source "$(dirname "$0")/kafka.bash"
cd "$WORK"

python3 - <<'PY'
import random
rnd = random.Random(5)
bad = [
    '{"user": {"id": 1}, "amount": ',
    '{"user": {"id": 1}, "amount": "lots"}',
    '[{"user": {"id": 1}, "amount": 1}]',
    '{"user": {"id": 1}, "amount": 99999999999999999999999}',
]
with open('msgs.ndjson', 'w') as all_, open('good.ndjson', 'w') as good, open('bad.ndjson', 'w') as b:
    for i in range(20000):
        if i % 20 == 3:
            line = bad[(i // 20) % len(bad)]
            b.write(line + '\n')
        else:
            line = '{"user": {"id": %d}, "amount": %d, "ts": "2026-01-01 00:00:%02d"}' % (
                rnd.randrange(100), rnd.randrange(1000), i % 60)
            good.write(line + '\n')
        all_.write(line + '\n')
PY
nbad=$(wc -l <bad.ndjson)

start_kafka
kafka topic orders 4
kafka produce orders msgs.ndjson
[ "$KAFKA_ANSWER" = 20000 ] || fail "the mock acknowledged $KAFKA_ANSWER of 20000 messages"

cat >q.sql <<SQL
CREATE STREAM tx (user_id BIGINT PATH '\$.user.id', amount BIGINT, ts TIMESTAMP)
  FROM KAFKA '$KAFKA_BOOTSTRAP' TOPIC 'orders' FORMAT JSON WITH (end = 'latest');
CREATE QUERY per_user AS SELECT user_id, count(*) AS n, sum(amount) AS total
  FROM tx GROUP BY user_id;
SQL
timeout 50 "$SLUICE" run --db db q.sql >out.txt 2>err.txt ||
  { cat err.txt; fail "sluice run over a bounded JSON topic did not exit 0"; }

python3 - <<'PY'
import sqlite3
db = sqlite3.connect('oracle.db')
db.execute('CREATE TABLE l (line TEXT)')
db.executemany('INSERT INTO l VALUES (?)', ((x,) for x in open('good.ndjson').read().splitlines()))
db.commit()
PY
sqlite3 oracle.db "SELECT u, count(*), sum(a) FROM (SELECT json_extract(line, '\$.user.id') AS u,
  json_extract(line, '\$.amount') AS a FROM l) GROUP BY u ORDER BY u" >want.txt
sqlite3 db "SELECT user_id, n, total FROM per_user ORDER BY user_id" >got.txt
diff want.txt got.txt >diff.txt || { head diff.txt; fail "per_user differs from sqlite3's json_extract"; }

# Each bad message is a dead letter: the message's bytes, "kafka:orders/<partition>", its offset.
letters=$(sqlite3 db "SELECT count(*) FROM _sluice_dead_letters")
[ "$letters" -eq "$nbad" ] || fail "$letters dead letters, expected $nbad"
sqlite3 db "SELECT record FROM _sluice_dead_letters" | sort >got_bad.txt
sort bad.ndjson >want_bad.txt
diff -q want_bad.txt got_bad.txt >/dev/null || fail "the dead letters do not hold the bad messages"
[ "$(sqlite3 db "SELECT count(*) FROM _sluice_dead_letters WHERE source LIKE 'kafka:orders/%'
                 AND offset >= 0 AND error <> ''")" -eq "$nbad" ] ||
  fail "dead letters without their partition, offset or reason:
$(sqlite3 db 'SELECT source, offset, error FROM _sluice_dead_letters LIMIT 5')"
sqlite3 db "SELECT DISTINCT substr(error, 1, 40) FROM _sluice_dead_letters ORDER BY 1" | sed 's/^/  /'
echo "ok: $(($(wc -l <msgs.ndjson) - nbad)) good messages counted, $nbad dead letters"
echo "1 passed, 0 failed"
