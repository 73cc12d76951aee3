#!/usr/bin/env bash
# make bench (fourth part): messages per second that `sluice run` consumes
# from Kafka into a GROUP BY (issue 11; target: at least 500,000 small
# messages/s on one core). sl_kafka_mock (librdkafka's mock cluster, 3
# brokers) gets a topic of 4 partitions and N small CSV messages
# `user<k>,<amount>` over K users, each keyed by its user (so a user's
# messages are all in one partition). The same query,
#   SELECT user, COUNT(*) AS n, SUM(amount) AS total FROM tx GROUP BY user,
# runs three ways, each a batch that exits once its input is read:
#   kafka: FROM KAFKA ... WITH (end = 'latest'), sluice pinned to one core
#          (taskset; librdkafka's threads with it), the mock cluster pinned
#          to the other, so the broker's work is not counted as Sluice's;
#   lib100k: the same with properties = 'queued.min.messages=100000',
#          librdkafka's default, which Sluice raises to 1,000,000: librdkafka
#          2.0 stops fetching a partition for a second once that many of its
#          messages wait to be read, which a backlog can reach at any time;
#   file:  FROM FILE over the same lines, on the same core: the baseline;
#   two:   two sluice processes at once, partitions '0-1' and '2-3', each
#          with its own database, on both cores (with the mock on one of
#          them): docs/scaling.md's two instances on one machine.
# librdkafka's mock keeps about 5 MiB of each partition's log and deletes
# the oldest message sets beyond it (rdkafka_mock.c, max_size), so the
# messages go in ROUNDS (default 4; 125,000 messages a partition a round
# fit): each round produces its share, appends the same lines to the file,
# then runs the three again on their databases, which resume from their
# checkpoints; times are summed over the rounds.
# The three tables must be equal (the two halves' union for "two"), with no
# gap. Reports seconds, CPU seconds, messages/s and peak RSS, and appends a
# dated section to bench/RESULTS.md.
source "$(dirname "$0")/lib.bash"
messages=${BENCH_KAFKA_MESSAGES:-2000000}
keys=${BENCH_KAFKA_KEYS:-10000}
rounds=${BENCH_KAFKA_ROUNDS:-4}
sluice=$root/$build/sluice
load_before=$(cut -d' ' -f1 /proc/loadavg)

# Command prefixes pinning to core 0 or 1, on a machine that has two.
core0=() core1=()
if [ "$(nproc)" -ge 2 ]; then core0=(taskset -c 0) core1=(taskset -c 1); fi

input=$data/kafka-$messages-k$keys.csv
[ -s "$input" ] || mawk -v n="$messages" -v k="$keys" \
  'BEGIN {srand(42); for (i = 0; i < n; i++) printf "user%d,%d\n", int(rand() * k), int(rand() * 1000)}' >"$input"
bytes=$(stat -c %s "$input")
per_round=$(((messages + rounds - 1) / rounds))
split -l "$per_round" -d -a 3 "$input" "$work/round."

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

# query NAME FROM-CLAUSE: the script for one way, in $work/NAME.sql.
query() {
  cat >"$work/$1.sql" <<SQL
CREATE STREAM tx (user TEXT, amount BIGINT) $2;
CREATE QUERY per_user AS
  SELECT user, COUNT(*) AS n, SUM(amount) AS total FROM tx GROUP BY user;
SQL
}
kafka() { echo "FROM KAFKA '$bootstrap' TOPIC 'bench' FORMAT CSV WITH (end = 'latest'$1)"; }
query kafka "$(kafka '')"
query lib100k "$(kafka ", properties = 'queued.min.messages=100000'")"
query file "FROM FILE '$work/input.csv' FORMAT CSV"
query half0 "$(kafka ", partitions = '0-1'")"
query half1 "$(kafka ", partitions = '2-3'")"

# run NAME [PREFIX...]: sluice run NAME.sql on NAME.db (resuming it), behind
# PREFIX (a taskset); appends "wall user sys peak_rss_kb" to NAME.times.
run() {
  local name=$1
  shift
  /usr/bin/time -f '%e %U %S %M' -a -o "$work/$name.times" \
    "$@" "$sluice" run --db "$work/$name.db" "$work/$name.sql" 2>>"$work/$name.log" ||
    { echo "bench: sluice run $name.sql failed:" >&2; tail -5 "$work/$name.log" >&2; exit 1; }
}

: >"$work/input.csv"
for part in "$work"/round.*; do
  mock produce bench "$part"
  cat "$part" >>"$work/input.csv"
  run kafka "${core0[@]}"
  run lib100k "${core0[@]}"
  run file "${core0[@]}"
  start=$(date +%s.%N)
  run half0 &
  half0=$!
  run half1 &
  half1=$!
  wait "$half0"
  wait "$half1"
  echo "$(date +%s.%N) - $start" | bc -l >>"$work/two.walls"
done
exec {MOCK[1]}>&- # EOF on its stdin ends the mock cluster
wait "$mock_pid"

# The three must agree, count every message once and miss none, before speeds are worth comparing.
rows() { sqlite3 "$work/$1.db" "SELECT user || '|' || n || '|' || total FROM per_user" | sort; }
rows kafka >"$work/kafka.out"
rows file | cmp -s - "$work/kafka.out" || { echo "bench: the KAFKA and FILE tables differ" >&2; exit 1; }
rows lib100k | cmp -s - "$work/kafka.out" || { echo "bench: the two KAFKA tables differ" >&2; exit 1; }
{ rows half0; rows half1; } | sort | cmp -s - "$work/kafka.out" ||
  { echo "bench: the two halves' union differs from one process's table" >&2; exit 1; }
counted=$(sqlite3 "$work/kafka.db" 'SELECT sum(n) FROM per_user')
[ "$counted" -eq "$messages" ] || { echo "bench: $counted of $messages messages counted" >&2; exit 1; }
for db in kafka lib100k half0 half1; do
  gap=$(sqlite3 "$work/$db.db" 'SELECT coalesce(sum(gap), 0) FROM _sluice_progress')
  [ "$gap" -eq 0 ] || { echo "bench: $db: a gap of $gap messages (the mock's log cap?)" >&2; exit 1; }
done
distinct=$(sqlite3 "$work/kafka.db" 'SELECT count(*) FROM per_user')
batches=$(sqlite3 "$work/kafka.db" 'SELECT count(*) FROM _sluice_progress')

# total NAME...: "wall cpu peak_rss_mib" over every run of the NAMEs (rounds
# summed; for several NAMEs the CPU adds up, the wall is left to the caller).
total() {
  local name
  for name in "$@"; do cat "$work/$name.times"; done |
    awk '{w += $1; c += $2 + $3; if ($4 > m) m = $4} END {printf "%.2f %.2f %d\n", w, c, m / 1024}'
}
read -r t_kafka cpu_kafka rss_kafka < <(total kafka)
read -r t_lib cpu_lib rss_lib < <(total lib100k)
read -r t_file cpu_file rss_file < <(total file)
read -r _ cpu_two rss_two < <(total half0 half1)
t_two=$(awk '{w += $1} END {printf "%.2f", w}' "$work/two.walls")
f() { printf '%.2f' "$1"; }
mps() { printf '%.0f' "$(echo "$messages / $1" | bc -l)"; }
rate=$(mps "$t_kafka")
meets() { [ "$1" -ge 500000 ] && echo meets || echo "does not meet"; }
verdict=$(meets "$rate")

report=$(cat <<MD

## Kafka in, $(date -u '+%Y-%m-%d %H:%M UTC') ($(nproc) cores, $(uname -m))

Command: \`make bench\` (bench/kafka.sh): \`sl_kafka_mock --brokers 3\`, a topic of 4 partitions,
$messages messages \`user<k>,<amount>\` keyed by the user ($keys users, $(f "$(echo "($bytes - $messages) / $messages" | bc -l)") bytes
a message on average), then \`SELECT user, COUNT(*) AS n, SUM(amount) AS total FROM tx
GROUP BY user\` with \`sluice run\`, \`WITH (end = 'latest')\`. Sluice pinned to one core
(\`taskset -c 0\`, librdkafka's threads too), the mock cluster to the other. The mock keeps
about 5 MiB of a partition, so the messages go in $rounds rounds: each produces $per_round,
then each way runs again on its database, resuming from its checkpoint; times are sums over the rounds.

| | seconds | CPU seconds | messages/s | messages per CPU second | peak RSS |
|---|---|---|---|---|---|
| \`sluice run\` FROM KAFKA, one core | $t_kafka | $cpu_kafka | $rate | $(mps "$cpu_kafka") | $rss_kafka MiB |
| the same with librdkafka's \`queued.min.messages=100000\` (Sluice sets 1000000) | $t_lib | $cpu_lib | $(mps "$t_lib") | $(mps "$cpu_lib") | $rss_lib MiB |
| \`sluice run\` FROM FILE, same lines, same core (baseline) | $t_file | $cpu_file | $(mps "$t_file") | $(mps "$cpu_file") | $rss_file MiB |
| two \`sluice run\` at once, partitions '0-1' and '2-3', both cores | $t_two | $cpu_two | $(mps "$t_two") | $(mps "$cpu_two") | $rss_two MiB (the larger) |

On one core Sluice consumes **$rate messages/s** from Kafka into the GROUP BY, which
**$verdict** the target of at least 500,000: **$(f "$(echo "$t_file / $t_kafka" | bc -l)")x** its speed reading the same
lines from a file (kafka/file, same run). Identical tables: $distinct users,
all $messages messages counted once, no gap ($batches batches in all); the two halves' union
equals the one-process table. Machine: load average $load_before before, $(cut -d' ' -f1 /proc/loadavg) after.
MD
)
echo "$report"
echo "$report" >>"$root/bench/RESULTS.md"
