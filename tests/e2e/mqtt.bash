# Helpers for the MQTT e2e scripts (sourced, not a test itself): Debian's
# mosquitto broker on 127.0.0.1, a free port, persistence in $WORK/broker,
# stopped by lib.bash's trap however the test ends.
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"

command -v mosquitto >/dev/null || fail "the mosquitto broker is not installed (scripts/install-deps)"

# A port nobody listens on, below the kernel's ephemeral range (32768 up),
# where another test's outgoing connection could take it before the broker
# (re)starts on it.
for _ in $(seq 50); do
  MQTT_PORT=$((20000 + RANDOM % 12000))
  (exec 3<>"/dev/tcp/127.0.0.1/$MQTT_PORT") 2>/dev/null || break
done
mkdir -p "$WORK/broker"
# max_queued_messages 0: the broker queues all that waits for a session
# (its default, 1000, drops the rest: a broker's loss, not Sluice's).
cat >"$WORK/broker/mosquitto.conf" <<CONF
listener $MQTT_PORT 127.0.0.1
allow_anonymous true
persistence true
persistence_location $WORK/broker/
max_queued_messages 0
user $(id -un)
log_dest file $WORK/broker/log.txt
CONF

# start_broker: starts it (again, on the same persistence) and waits until it listens.
start_broker() {
  mosquitto -c "$WORK/broker/mosquitto.conf" 2>>"$WORK/broker/stderr.txt" &
  BROKER_PID=$!
  BG_PIDS+=($BROKER_PID)
  for _ in $(seq 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$MQTT_PORT") 2>/dev/null && return 0
    sleep 0.05
  done
  cat "$WORK/broker/log.txt"
  fail "the broker did not start listening on $MQTT_PORT"
}

# stop_broker: SIGTERM, as a service stop does: the broker saves its sessions and queues, then exits.
stop_broker() {
  kill -TERM "$BROKER_PID"
  wait "$BROKER_PID" 2>/dev/null || true
}

# start_sluice DB SQL: `sluice run` in the background (stderr appended to
# err.txt, SLUICE_PID set), once its source said it connected: what is
# published before its first subscription is not for it.
start_sluice() {
  local seen
  seen=$(grep -c ": connected" err.txt 2>/dev/null || true)
  "$SLUICE" run --db "$1" "$2" >>out.txt 2>>err.txt &
  SLUICE_PID=$!
  BG_PIDS+=($SLUICE_PID)
  for _ in $(seq 400); do
    [ "$(grep -c ": connected" err.txt)" -gt "${seen:-0}" ] && return 0
    kill -0 $SLUICE_PID 2>/dev/null || { cat err.txt; fail "sluice run exited"; }
    sleep 0.05
  done
  cat err.txt
  fail "the source never said it connected"
}

# publish TOPIC FILE: each line of FILE one QoS 1 message; returns once the broker acknowledged all.
publish() {
  mosquitto_pub -h 127.0.0.1 -p "$MQTT_PORT" -V mqttv5 -q 1 -t "$1" -l <"$2" ||
    fail "mosquitto_pub to $1 failed"
}

# wait_for DB SQL WANT [SECONDS]: polls sqlite3 until the query answers WANT.
wait_for() {
  local got=""
  for _ in $(seq $((${4:-40} * 10))); do
    got=$(sqlite3 "$1" "$2" 2>/dev/null || true)
    [ "$got" = "$3" ] && return 0
    sleep 0.1
  done
  echo "last answer: $got" >&2
  return 1
}
