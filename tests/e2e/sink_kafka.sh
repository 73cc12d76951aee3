#!/usr/bin/env bash
# CREATE SINK ... INTO KAFKA, read back from librdkafka's mock cluster with a
# consumer (sl_kafka_mock's consume). Over 20,000 payments in a FILE stream:
#   - an append-only query as CSV keyed by KEY (user): every row of its
#     result table is a message (as a set), keyed by its user;
#   - a GROUP BY as a JSON changelog (and again with transactional = true),
#     and a GROUP BY ... HAVING whose groups leave it (tombstones): replayed
#     in partition order, last message per key wins, each equals its table.
# Repeats are allowed only as copies of a whole message of a batch (the same
# sluice.batch and sluice.row headers, the same key and value). Then the same
# with the brokers down during a run (the rows wait in the outbox and arrive
# with the next run), with `sluice run` killed with SIGKILL again and again,
# and (soak only) with every broker taken down and back again and again
# while it delivers.
# Soak (tests/soak/run): more payments where kills or outages land,
# KILL_MAX kills, 2 *
# SOAK_SCALE broker outages, reported as sink_kafka and
# sink_kafka_server_restarts (server_restarts.bash's convention).
source "$(dirname "$0")/kafka.bash"
source "$(dirname "$0")/server_restarts.bash"
cd "$WORK"

start_kafka
payments 20000 5 300 >tx.csv
# The soak's phases (3 and 4) read (SOAK_SCALE + 1) / 2 times as many, few's
# bar raised as much.
soak_payments=$((20000 * (${SOAK_SCALE:-1} + 1) / 2))
soak_few_max=$((32000 * soak_payments / 20000))
payments "$soak_payments" 5 300 >tx_soak.csv

# sinks_sql SUFFIX: the queries and their sinks, topics named with SUFFIX;
# DRAIN (sink_drain_timeout) and TIMEOUT (one delivery's) when set; the
# payments from TX (default tx.csv), a group leaving few past FEW_MAX (default
# 32000: some 40% of the users stay in it at the end of tx.csv).
sinks_sql() {
  local TIMEOUT=${TIMEOUT:-5 seconds}
  cat <<SQL
${DRAIN:+SET sink_drain_timeout = '$DRAIN';}
CREATE STREAM tx (user TEXT, amount BIGINT, ts TIMESTAMP) FROM FILE '${TX:-tx.csv}' FORMAT CSV;
CREATE QUERY big AS SELECT user, amount, ts FROM tx WHERE amount >= 900
  WITH (max_batch_bytes = 50000);
CREATE QUERY per_user AS SELECT user, count(*) AS n, sum(amount) AS total FROM tx GROUP BY user
  WITH (max_batch_bytes = 50000);
CREATE QUERY few AS SELECT user, count(*) AS n, sum(amount) AS total FROM tx GROUP BY user
  HAVING sum(amount) < ${FEW_MAX:-32000} WITH (max_batch_bytes = 50000);
CREATE SINK big_k FROM big INTO KAFKA '$KAFKA_BOOTSTRAP' TOPIC 'big$1' FORMAT CSV KEY (user)
  WITH (timeout = '$TIMEOUT');
CREATE SINK users_k FROM per_user INTO KAFKA '$KAFKA_BOOTSTRAP' TOPIC 'per_user$1'
  WITH (timeout = '$TIMEOUT');
CREATE SINK users_txn FROM per_user INTO KAFKA '$KAFKA_BOOTSTRAP' TOPIC 'per_user_txn$1'
  FORMAT JSON WITH (transactional = true, timeout = '$TIMEOUT');
CREATE SINK few_k FROM few INTO KAFKA '$KAFKA_BOOTSTRAP' TOPIC 'few$1' FORMAT JSON
  WITH (timeout = '$TIMEOUT');
SQL
}

# topics SUFFIX: the sinks' topics, 3 partitions each.
topics() {
  local t
  for t in big per_user per_user_txn few; do kafka topic "$t$1" 3; done
}

# messages TOPIC: every message of TOPIC in messages_TOPIC.tsv; fails unless
# repeats are whole copies of one message of one batch.
messages() {
  kafka consume "$1" 3 "$WORK/messages_$1.tsv"
  python3 - "messages_$1.tsv" <<'PY' || fail "$1: a repeated message differs from its first copy"
import sys
seen = {}
for line in open(sys.argv[1]):
    part, batch, row, key, value = line.rstrip("\n").split("\t")
    if batch == "\\N" or row == "\\N":
        sys.exit(f"a message without sluice.batch or sluice.row: {line}")
    first = seen.setdefault((batch, row), (part, key, value))
    if first != (part, key, value):
        sys.exit(f"{batch} row {row}: {first} then {(part, key, value)}")
PY
}

# expect_rows SUFFIX DB WHAT: the topics of SUFFIX hold what DB's tables hold.
expect_rows() {
  local s=$1 db=$2
  for t in "big$s" "per_user$s" "per_user_txn$s" "few$s"; do messages "$t"; done
  # big: each (batch, row) once; its key is the CSV's user; as a set, the table.
  python3 - "messages_big$s.tsv" >got_big.txt <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    part, batch, row, key, value = line.rstrip("\n").split("\t")
    if key != value.split(",")[0]:
        sys.exit(f"key {key} is not the row's user: {value}")
    rows[(batch, row)] = value
print("\n".join(rows.values()))
PY
  sort -o got_big.txt got_big.txt
  sqlite3 "$db" "SELECT user || ',' || amount || ',' || ts FROM big" | sort >want_big.txt
  diff want_big.txt got_big.txt >diff.txt || { head diff.txt; fail "$3: topic big$s differs from table big"; }
  # The changelogs, replayed in each partition's order (a key stays in one partition).
  for t in "per_user$s:per_user" "per_user_txn$s:per_user" "few$s:few"; do
    python3 - "messages_${t%%:*}.tsv" >got.txt <<'PY'
import json, sys
rows = {}
for line in open(sys.argv[1]):
    part, batch, row, key, value = line.rstrip("\n").split("\t")
    if value == "\\N":
        rows.pop(key, None)  # a tombstone
        continue
    r = json.loads(value)
    if r["user"] != key or r["op"] not in ("insert", "update"):
        sys.exit(f"key {key}, value {value}")
    rows[key] = "%s|%d|%d" % (r["user"], r["n"], r["total"])
print("\n".join(rows.values()))
PY
    sort -o got.txt got.txt
    sqlite3 "$db" "SELECT user, n, total FROM ${t#*:}" | sort >want.txt
    diff want.txt got.txt >diff.txt || { head diff.txt; fail "$3: topic ${t%%:*} replayed differs from table ${t#*:}"; }
  done
}

# 1. One run to the end: `sluice run` exits once the sinks have delivered.
topics ""
sinks_sql "" >q.sql
timeout 60 "$SLUICE" run --db db q.sql >out.txt 2>err.txt || { cat err.txt; fail "sluice run"; }
[ "$(sqlite3 db 'SELECT count(*) FROM _sluice_outbox')" = 0 ] || fail "the outbox was not emptied"
[ "$(sqlite3 db "SELECT count(*) FROM _sluice_sink_progress")" = 4 ] || fail "not every sink delivered"
[ "$(sqlite3 db 'SELECT count(*) FROM big')" -gt 1000 ] || fail "too few rows in big to test"
expect_rows "" db "one run"
grep -q $'\t\\\\N$' messages_few.tsv || fail "no tombstone in topic few: HAVING should have dropped groups"
[ "$(cut -f2 messages_per_user.tsv | sort -u | wc -l)" -gt 1 ] || fail "one batch only in per_user"

# 2. The brokers down during a run: `sluice run` waits for its sinks after the
# input's end; stopped (SIGTERM) it waits the drain timeout and leaves the rows
# in the outbox; the brokers back, the next run delivers them.
topics "_down"
DRAIN='500 milliseconds' TIMEOUT='1 second' sinks_sql "_down" >q_down.sql
for b in 1 2 3; do kafka down "$b"; done
"$SLUICE" run --db db_down q_down.sql >out.txt 2>err_down.txt &
pid=$!
BG_PIDS+=("$pid")
for _ in $(seq 600); do
  grep -q "not acknowledged" err_down.txt && break
  kill -0 "$pid" 2>/dev/null || { cat err_down.txt; fail "sluice run ended with the brokers down"; }
  sleep 0.05
done
grep -q "not acknowledged" err_down.txt || { cat err_down.txt; fail "no delivery failed in 30 s"; }
kill -TERM "$pid"
for _ in $(seq 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
kill -0 "$pid" 2>/dev/null && fail "sluice run did not stop within 30 s of SIGTERM"
wait "$pid" || true
[ "$(sqlite3 db_down 'SELECT count(*) FROM _sluice_outbox')" -gt 0 ] ||
  fail "the brokers were down, yet the outbox is empty"
for b in 1 2 3; do kafka up "$b"; done
timeout 60 "$SLUICE" run --db db_down >out.txt 2>>err_down.txt ||
  { cat err_down.txt; fail "sluice run once the brokers are back"; }
[ "$(sqlite3 db_down 'SELECT count(*) FROM _sluice_outbox')" = 0 ] ||
  fail "the brokers are back, yet the outbox holds rows"
expect_rows "_down" db_down "brokers down, then up"

# 3. SIGKILL during runs, restarted: every row still there, repeats whole copies.
# The brokers answer 20 ms late, so that a run is still delivering when it is killed.
topics "_kill"
TX=tx_soak.csv FEW_MAX=$soak_few_max sinks_sql "_kill" >q_kill.sql
slow_brokers 20
kill_and_restart db_kill q_kill.sql
slow_brokers 0
[ "$KILLS" -ge 3 ] || fail "only $KILLS kills landed before a run finished"
[ "$(sqlite3 db_kill 'SELECT count(*) FROM _sluice_outbox')" = 0 ] || fail "the outbox was not emptied"
expect_rows "_kill" db_kill "after $KILLS kills"
repeats=0
for t in big per_user per_user_txn few; do
  repeats=$((repeats + $(wc -l <"messages_${t}_kill.tsv") - $(cut -f2,3 "messages_${t}_kill.tsv" | sort -u | wc -l)))
done
compared=$(cat messages_*_kill.tsv | wc -l)
soak_report sink_kafka "$KILLS" "$RESTARTS" "$compared"

# 4. Every broker taken off the network and back again while the sinks
# deliver: librdkafka retries, nothing is lost, repeats are whole copies.
# The brokers answer 20 ms late, as in 3., so that the run lasts for every
# outage asked (at full speed it ended after 14 of 20).
if [ "${SOAK_SCALE:-1}" -gt 1 ]; then
  topics "_flap"
  TX=tx_soak.csv FEW_MAX=$soak_few_max sinks_sql "_flap" >q_flap.sql
  brokers_down() { for b in 1 2 3; do kafka down "$b"; done; }
  brokers_up() { for b in 1 2 3; do kafka up "$b"; done; }
  slow_brokers 20
  restart_server_under_load db_flap q_flap.sql "$(soak_scale 2)" brokers_down brokers_up
  slow_brokers 0
  expect_rows "_flap" db_flap "after $STOPS_DONE outages of every broker"
  soak_report sink_kafka_server_restarts "$FAULTS_DONE" "$RUNS_DONE" "$(cat messages_*_flap.tsv | wc -l)"
  echo "ok: $STOPS_DONE outages of every broker during a run, $KILLS_DONE kills of sluice during them"
fi
echo "ok: 4 sinks, one run; brokers down and back; $KILLS kills ($repeats messages repeated)"
echo "1 passed, 0 failed"
