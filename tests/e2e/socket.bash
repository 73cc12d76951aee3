# Helpers for the SOCKET LISTEN e2e scripts (sourced, not a test itself:
# ctest runs only *.sh).
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"

# start_listen_sluice DB SQL: runs `sluice run --db DB SQL` in the background
# (stderr in $WORK/err) and waits for its "listening on" line (the stream is
# declared on 127.0.0.1:0: the kernel picks the port, the source says which);
# sets pid and port.
start_listen_sluice() {
  "$SLUICE" run --db "$1" "$2" 2>"$WORK/err" &
  pid=$!
  BG_PIDS+=($pid)
  for _ in $(seq 300); do grep -q "listening on" "$WORK/err" && break; sleep 0.1; done
  port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/err")
  [ -n "$port" ] || { cat "$WORK/err"; fail "no 'listening on' logged"; }
}
