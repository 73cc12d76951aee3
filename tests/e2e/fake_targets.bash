# Shared by the HTTP sinks' e2e scripts (sourced after lib.bash, not a test itself):
# starting a python3 stand-in for their target from tests/tools/.

# start_fake NAME SCRIPT [options...]: tests/tools/SCRIPT on a free port, its port
# in NAME.port; stopped with the test. Sets PORT.
start_fake() {
  local name=$1 script=$2; shift 2
  python3 "$SOURCE_DIR/tests/tools/$script" --port-file "$WORK/$name.port" "$@" >/dev/null &
  BG_PIDS+=($!)
  for _ in $(seq 300); do [ -s "$WORK/$name.port" ] && break; sleep 0.1; done
  [ -s "$WORK/$name.port" ] || fail "$script did not start"
  PORT=$(cat "$WORK/$name.port")
}

# fake_again [SCRIPT options...]: with arguments, start_fake (named again) of
# SCRIPT on a free port, kept in PORT; without, the same fake again on that
# port (its options should keep its state across a restart).
fake_again() {
  if [ $# -gt 0 ]; then
    FAKE_ARGS=("$@")
    PORT=0
  fi
  rm -f "$WORK/again.port"
  start_fake again "${FAKE_ARGS[0]}" --port "$PORT" "${FAKE_ARGS[@]:1}"
}

# stop_fake: stops the fake started last (SIGTERM: it exits between two
# requests) and waits until it has.
stop_fake() { kill -TERM "${BG_PIDS[-1]}"; wait "${BG_PIDS[-1]}" || fail "${FAKE_ARGS[0]} did not stop cleanly"; }
