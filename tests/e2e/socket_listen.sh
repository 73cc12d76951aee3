#!/usr/bin/env bash
# FROM SOCKET LISTEN: 8 senders connect at once and write 50,000 CSV lines
# each, in pieces cut anywhere; every line is counted, per sender (its
# 'ip:port' in the sender column) and in total, by two queries that share
# the one listener through the stream's log. A ninth sender writes a
# malformed line and one longer than max_record_bytes (dead letters, and a
# warning), and closes with a last line that has no newline (counted). A
# second instance on the same port fails at once, saying why.
source "$(dirname "$0")/socket.bash"

SENDERS=8
LINES=50000
cat >"$WORK/q.sql" <<SQL
CREATE STREAM logs (sender_id BIGINT, seq BIGINT)
  FROM SOCKET LISTEN '127.0.0.1:0' FORMAT CSV WITH (max_record_bytes = 4096);
CREATE QUERY per_sender AS SELECT sender, sender_id, COUNT(*) AS n, SUM(seq) AS total
  FROM logs GROUP BY sender, sender_id TRIGGER EVERY 100 MILLISECONDS;
CREATE QUERY everything AS SELECT COUNT(*) AS n FROM logs TRIGGER EVERY 100 MILLISECONDS;
SQL
start_listen_sluice "$WORK/db" "$WORK/q.sql"

# The same address again: a clear error, and a failed run.
sed "s/127.0.0.1:0/127.0.0.1:$port/" "$WORK/q.sql" >"$WORK/again.sql"
if "$SLUICE" run --db "$WORK/db2" "$WORK/again.sql" 2>"$WORK/err2"; then
  fail "a second listener on port $port ran"
fi
grep -q "SOCKET LISTEN '127.0.0.1:$port': cannot listen: Address already in use" "$WORK/err2" ||
  { cat "$WORK/err2"; fail "no clear bind error"; }

python3 - "$port" "$SENDERS" "$LINES" "$WORK/ports" <<'PY'
import random, socket, sys, threading
port, senders, lines, ports_file = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
ready = threading.Barrier(senders)
local = {}
def send(k):
    s = socket.create_connection(("127.0.0.1", port))
    local[k] = s.getsockname()[1]
    data = b"".join(b"%d,%d\n" % (k, i) for i in range(lines))
    rnd = random.Random(k)
    ready.wait()
    at = 0
    while at < len(data):
        n = rnd.randrange(1, 20000)
        s.sendall(data[at:at + n])
        at += n
    s.close()
threads = [threading.Thread(target=send, args=(k,)) for k in range(senders)]
for t in threads: t.start()
for t in threads: t.join()
# The ninth: a good line, a malformed one, one over max_record_bytes, a last one without newline.
s = socket.create_connection(("127.0.0.1", port))
local[senders] = s.getsockname()[1]
s.sendall(b"8,1\nbad,line\n8," + b"9" * 10000 + b"\n8,2")
s.close()
with open(ports_file, "w") as f:
    for k in sorted(local):
        f.write("127.0.0.1:%d|%d\n" % (local[k], k))
PY

want=$((SENDERS * LINES + 2))
for _ in $(seq 600); do
  got=$(sqlite3 "$WORK/db" 'SELECT min(coalesce((SELECT sum(n) FROM per_sender), 0),
    coalesce((SELECT n FROM everything), 0))' 2>/dev/null || echo 0)
  [ "$got" -ge "$want" ] && break
  sleep 0.1
done
sleep 0.3 # a batch more: nothing may be counted twice
kill -TERM "$pid"
wait "$pid" || { cat "$WORK/err"; fail "sluice run did not stop cleanly"; }

expected=$(sum=$((LINES * (LINES - 1) / 2)); while IFS='|' read -r addr k; do
  if [ "$k" = "$SENDERS" ]; then echo "$addr|$k|2|3"; else echo "$addr|$k|$LINES|$sum"; fi
done <"$WORK/ports" | sort)
actual=$(sqlite3 "$WORK/db" "SELECT sender || '|' || sender_id || '|' || n || '|' || total FROM per_sender" | sort)
[ "$actual" = "$expected" ] || { diff <(echo "$expected") <(echo "$actual") | head; fail "counts per sender"; }
[ "$(sqlite3 "$WORK/db" "SELECT n FROM everything")" = "$want" ] || fail "the second query's count"
# Each query over the log keeps its own letter of a bad record: two records, whoever reads them.
[ "$(sqlite3 "$WORK/db" "SELECT count(DISTINCT \"offset\") FROM _sluice_dead_letters")" = 2 ] ||
  { sqlite3 "$WORK/db" "SELECT stream, source, \"offset\", substr(record, 1, 40), error FROM _sluice_dead_letters" >&2; fail "dead letters"; }
[ "$(sqlite3 "$WORK/db" "SELECT count(DISTINCT \"offset\") FROM _sluice_dead_letters WHERE record = 'bad,line'")" = 1 ] ||
  fail "the malformed line is not a dead letter"
[ "$(sqlite3 "$WORK/db" "SELECT DISTINCT length(record) FROM _sluice_dead_letters WHERE record LIKE '8,999%'")" = 4096 ] ||
  fail "the long line is not a dead letter cut to max_record_bytes"
grep -q "longer than max_record_bytes (4096): cut to that length" "$WORK/err" ||
  { cat "$WORK/err"; fail "no warning for the long line"; }
echo "ok: $SENDERS senders x $LINES lines counted exactly, per sender; 2 dead letters"
echo "1 passed, 0 failed"
