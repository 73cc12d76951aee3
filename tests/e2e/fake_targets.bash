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
