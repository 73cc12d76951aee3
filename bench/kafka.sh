#!/usr/bin/env bash
# make bench (fourth part): messages per second that `sluice run` consumes
# from Kafka into a GROUP BY (issue 11; target: at least 500,000 small
# messages/s on one core). sl_kafka_mock (librdkafka's mock cluster, 3
# brokers) gets a topic of 4 partitions and N small CSV messages
# `user<k>,<amount>` over K users, each keyed by its user (so a user's
# messages are all in one partition). The same query,
#   SELECT user, COUNT(*) AS n, SUM(amount) AS total FROM tx GROUP BY user,
# then runs three ways, each a batch that exits once its input is read:
#   kafka: FROM KAFKA ... WITH (end = 'latest'), sluice pinned to one core
#          (taskset; librdkafka's threads with it), the mock cluster pinned
#          to the other, so the broker's work is not counted as Sluice's;
#   file:  FROM FILE over the same lines, on the same core: the baseline;
#   two:   two sluice processes at once, partitions '0-1' and '2-3', each
#          with its own database, on both cores (with the mock on one of
#          them): docs/scaling.md's two instances on one machine.
# The three tables must be equal (the two halves' union for "two").
# Reports seconds, CPU seconds, messages/s and peak RSS, and appends a
# dated section to bench/RESULTS.md.
source "$(dirname "$0")/lib.bash"
messages=${BENCH_KAFKA_MESSAGES:-2000000}
keys=${BENCH_KAFKA_KEYS:-10000}
sluice=$root/$build/sluice
load_before=$(cut -d' ' -f1 /proc/loadavg)

# Command prefixes pinning to core 0 or 1, on a machine that has two.
core0=() core1=()
if [ "$(nproc)" -ge 2 ]; then core0=(taskset -c 0) core1=(taskset -c 1); fi

input=$data/kafka-$messages-k$keys.csv
[ -s "$input" ] || mawk -v n="$messages" -v k="$keys" \
  'BEGIN {srand(42); for (i = 0; i < n; i++) printf "user%d,%d\n", int(rand() * k), int(rand() * 1000)}' >"$input"
bytes=$(stat -c %s "$input")

coproc MOCK { exec "${core1[@]}" "$root/$build/sl_kafka_mock" --brokers 3 2>"$work/mock.log"; }
mock_pid=$MOCK_PID
read -r _ bootstrap <&"${MOCK[0]}"
# mock COMMAND: sends it, fails the bench unless the answer is ok.
mock() {
  local reply
  echo "$*" >&"${MOCK[1]}"
  read -r reply <&"${MOCK[0]}"
  [[ $reply == ok* ]] || { echo "bench: sl_kafka_mock: $*: $reply" >&2; exit 1; }
}
mock topic bench 4
mock produce bench "$input"

# query NAME FROM-CLAUSE: the script for one run, in $work/NAME.sql.
query() {
  cat >"$work/$1.sql" <<SQL
CREATE STREAM tx (user TEXT, amount BIGINT) $2;
CREATE QUERY per_user AS
  SELECT user, COUNT(*) AS n, SUM(amount) AS total FROM tx GROUP BY user;
SQL
}
kafka() { echo "FROM KAFKA '$bootstrap' TOPIC 'bench' FORMAT CSV WITH (end = 'latest'$1)"; }
query kafka "$(kafka '')"
query file "FROM FILE '$input' FORMAT CSV"
query half0 "$(kafka ", partitions = '0-1'")"
query half1 "$(kafka ", partitions = '2-3'")"

# run NAME [PREFIX...]: sluice run NAME.sql on a new NAME.db, behind PREFIX
# (a taskset); its times go to NAME.time as "wall user sys peak_rss_kb".
run() {
  local name=$1
  shift
  rm -f "$work/$name".db*
  /usr/bin/time -f '%e %U %S %M' -o "$work/$name.time" \
    "$@" "$sluice" run --db "$work/$name.db" "$work/$name.sql" 2>"$work/$name.log" ||
    { echo "bench: sluice run $name.sql failed:" >&2; tail -5 "$work/$name.log" >&2; exit 1; }
}
rows() { sqlite3 "$work/$1.db" "SELECT user || '|' || n || '|' || total FROM per_user" | sort; }

run kafka "${core0[@]}"
run file "${core0[@]}"
start=$(date +%s.%N)
run half0 &
half0=$!
run half1 &
half1=$!
wait "$half0"
wait "$half1"
end=$(date +%s.%N)
t_two=$(echo "$end - $start" | bc -l)
exec {MOCK[1]}>&- # EOF on its stdin ends the mock cluster
wait "$mock_pid"

# The three must agree, and count every message, before speeds are worth comparing.
rows kafka >"$work/kafka.out"
rows file | cmp -s - "$work/kafka.out" || { echo "bench: the KAFKA and FILE tables differ" >&2; exit 1; }
{ rows half0; rows half1; } | sort | cmp -s - "$work/kafka.out" ||
  { echo "bench: the two halves' union differs from one process's table" >&2; exit 1; }
counted=$(sqlite3 "$work/kafka.db" 'SELECT sum(n) FROM per_user')
[ "$counted" -eq "$messages" ] || { echo "bench: $counted of $messages messages counted" >&2; exit 1; }
distinct=$(sqlite3 "$work/kafka.db" 'SELECT count(*) FROM per_user')
batches=$(sqlite3 "$work/kafka.db" 'SELECT count(*) FROM _sluice_progress')

read -r t_kafka u_kafka s_kafka rss_kafka <"$work/kafka.time"
read -r t_file u_file s_file rss_file <"$work/file.time"
read -r _ u_h0 s_h0 rss_h0 <"$work/half0.time"
read -r _ u_h1 s_h1 rss_h1 <"$work/half1.time"
f() { printf '%.2f' "$1"; }
mps() { printf '%.0f' "$(echo "$messages / $1" | bc -l)"; }
cpu_kafka=$(echo "$u_kafka + $s_kafka" | bc -l)
cpu_two=$(echo "$u_h0 + $s_h0 + $u_h1 + $s_h1" | bc -l)
rate=$(mps "$t_kafka")
verdict=$([ "$rate" -ge 500000 ] && echo meets || echo "does not meet")

report=$(cat <<MD

## Kafka in, $(date -u '+%Y-%m-%d %H:%M UTC') ($(nproc) cores, $(uname -m))

Command: \`make bench\` (bench/kafka.sh): \`sl_kafka_mock --brokers 3\`, a topic of 4 partitions,
$messages messages \`user<k>,<amount>\` keyed by the user ($keys users, $(f "$(echo "($bytes - $messages) / $messages" | bc -l)") bytes
a message on average), then \`SELECT user, COUNT(*) AS n, SUM(amount) AS total FROM tx
GROUP BY user\` with \`sluice run\`, \`WITH (end = 'latest')\`. Sluice pinned to one core
(\`taskset -c 0\`, librdkafka's threads too), the mock cluster to the other.

| | seconds | CPU seconds | messages/s | peak RSS |
|---|---|---|---|---|
| \`sluice run\` FROM KAFKA, one core | $(f "$t_kafka") | $(f "$cpu_kafka") | $rate | $((rss_kafka / 1024)) MiB |
| \`sluice run\` FROM FILE, same lines, same core (baseline) | $(f "$t_file") | $(f "$(echo "$u_file + $s_file" | bc -l)") | $(mps "$t_file") | $((rss_file / 1024)) MiB |
| two \`sluice run\` at once, partitions '0-1' and '2-3', both cores | $(f "$t_two") | $(f "$cpu_two") | $(mps "$t_two") | $((rss_h0 / 1024)) + $((rss_h1 / 1024)) MiB |

On one core Sluice consumes **$rate messages/s** from Kafka into the GROUP BY, which
**$verdict** the target of at least 500,000; that is **$(f "$(echo "$t_file / $t_kafka" | bc -l)")x** its speed
reading the same lines from a file (kafka/file, same run). Identical tables: $distinct users,
all $messages messages counted once (batches committed: $batches); the two halves' union equals
the one-process table. Machine: load average $load_before before, $(cut -d' ' -f1 /proc/loadavg) after.
MD
)
echo "$report"
echo "$report" >>"$root/bench/RESULTS.md"
