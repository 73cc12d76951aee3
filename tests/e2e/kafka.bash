# Helpers for the Kafka e2e scripts (sourced, not a test itself: ctest runs
# only *.sh): a mock cluster driven by commands, keyed CSV payments and the
# per-key figures sqlite3 computes over the same file (the oracle).
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"

# start_kafka [BROKERS]: starts sl_kafka_mock (3 brokers unless told) as a
# coprocess, its log in $WORK/kafka_mock.err; sets KAFKA_BOOTSTRAP. The test's
# cleanup stops it, and it exits by itself when the script's end of its stdin closes.
start_kafka() {
  KAFKA_BROKERS=${1:-3}
  coproc KAFKA_MOCK { exec "$BUILD_DIR/sl_kafka_mock" --brokers "$KAFKA_BROKERS" 2>>"$WORK/kafka_mock.err"; }
  BG_PIDS+=("$KAFKA_MOCK_PID")
  local line
  read -r -t 30 -u "${KAFKA_MOCK[0]}" line || fail "sl_kafka_mock did not start: $(cat "$WORK/kafka_mock.err")"
  KAFKA_BOOTSTRAP=${line#bootstrap }
  [ "$KAFKA_BOOTSTRAP" != "$line" ] || fail "sl_kafka_mock's first line is not its bootstrap: $line"
}

# kafka COMMAND...: sends one command to the mock cluster and waits for its
# answer (a produce of a big file takes a moment); fails the test on "error".
# The answer's detail ("200000" after "ok 200000") is left in KAFKA_ANSWER.
kafka() {
  local line
  echo "$*" >&"${KAFKA_MOCK[1]}"
  read -r -t 120 -u "${KAFKA_MOCK[0]}" line || fail "sl_kafka_mock gave no answer to '$*'"
  case $line in
    ok | "ok "*) KAFKA_ANSWER=${line#ok}; KAFKA_ANSWER=${KAFKA_ANSWER# } ;;
    *) fail "sl_kafka_mock: '$*' -> $line" ;;
  esac
}

# slow_brokers [MS]: every broker answers MS (default 50) ms late. A stream
# WITH ($SLOW_FETCH) then fetches one producer batch (250 messages) a
# partition a round trip: some 20,000 messages a second over 4 partitions,
# so that a test can act while a query is still reading.
SLOW_FETCH="properties = 'fetch.message.max.bytes=4096'"
slow_brokers() {
  local b
  for b in $(seq "$KAFKA_BROKERS"); do kafka rtt "$b" "${1:-50}"; done
}

# payments N SEED [KEYS] > FILE: N keyed CSV messages "user<k>,<amount>,<ts>",
# the same for the same seed: k in 0..KEYS-1 (default 1000), an amount of
# 0..999 and an event time 1 ms after the one before, from 2026-01-01 00:00:00.
payments() {
  awk -v n="$1" -v seed="$2" -v keys="${3:-1000}" 'BEGIN {
    srand(seed)
    for (i = 0; i < n; i++) {
      s = int(i / 1000)
      printf "user%d,%d,2026-01-01 %02d:%02d:%02d.%03d000\n", int(rand() * keys), int(rand() * 1000),
             int(s / 3600) % 24, int(s / 60) % 60, s % 60, i % 1000
    }
  }'
}

# payments_oracle FILE: "user|count|sum" per user of FILE, ordered by user —
# what a GROUP BY user with count(*) and sum(amount) must hold.
payments_oracle() {
  sqlite3 :memory: "CREATE TABLE tx(user TEXT, amount INTEGER, ts TEXT)" ".import --csv $1 tx" \
    "SELECT user, count(*), sum(amount) FROM tx GROUP BY user ORDER BY user"
}

# kafka_partition_of KEYS_FILE PARTITIONS: "key|partition" per line of keys, the
# partition librdkafka's default partitioner (consistent_random: CRC-32 of the
# key modulo the partition count) puts the key's messages in.
kafka_partition_of() {
  python3 -c 'import sys, zlib
n = int(sys.argv[2])
for line in open(sys.argv[1]):
    key = line.rstrip("\n")
    print(f"{key}|{zlib.crc32(key.encode()) % n}")' "$1" "$2"
}

# payments_sql TOPIC [OPTIONS [QUERY_TAIL]]: a SQL file (on stdout) reading the
# payments in TOPIC WITH (OPTIONS, default end = 'latest') into the query
# per_user, a GROUP BY user with count(*) AS n and sum(amount) AS total,
# followed by QUERY_TAIL (a trigger, query options).
payments_sql() {
  cat <<SQL
CREATE STREAM tx (user TEXT, amount BIGINT, ts TIMESTAMP)
  FROM KAFKA '$KAFKA_BOOTSTRAP' TOPIC '$1' FORMAT CSV WITH (${2:-end = 'latest'});
CREATE QUERY per_user AS SELECT user, count(*) AS n, sum(amount) AS total
  FROM tx GROUP BY user ${3:-};
SQL
}

# per_user DB: the table per_user in DB as payments_oracle prints it.
per_user() { sqlite3 "$1" "SELECT user, n, total FROM per_user ORDER BY user"; }

# expect_oracle DB FILE WHAT: fails the test, saying WHAT, unless per_user in
# DB equals the oracle over FILE.
expect_oracle() {
  payments_oracle "$2" >"$WORK/want.txt"
  per_user "$1" >"$WORK/got.txt"
  diff "$WORK/want.txt" "$WORK/got.txt" >"$WORK/diff.txt" ||
    { head "$WORK/diff.txt" >&2; fail "$3: the table differs from sqlite3 over the messages"; }
}

# wait_batches DB N PID: waits (up to 30 s) until DB holds N committed
# batches; fails if PID exits first.
wait_batches() {
  for _ in $(seq 600); do
    [ "$(committed "$1")" -ge "$2" ] && return 0
    kill -0 "$3" 2>/dev/null || fail "sluice exited before $2 batches were committed"
    sleep 0.05
  done
  fail "no $2 committed batches in 30 s"
}
