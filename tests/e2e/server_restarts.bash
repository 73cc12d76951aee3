# Stopping a sink's server under load (sourced after lib.bash, not a test
# itself), for the sink scripts' soak (issue 17): the server goes down while
# `sluice run` delivers, comes back, and the sink must catch up by itself.
#
# Soak report convention: a script that does this reports it on a line of
# its own, scenario "<sink script>_server_restarts" (sink_postgres_crash's:
# sink_postgres_server_restarts, to fit the summary), the server stops and
# the kill -9 of sluice in the kills column (FAULTS_DONE: each one fault
# survived), the starts of sluice as restarts (RUNS_DONE) and the rows
# compared after the last run.

# sink_delivered DB: the sum of the batch ids every sink of DB marked delivered
# (it grows with each delivered batch; 0 before the first).
sink_delivered() {
  sqlite3 "$1" 'SELECT coalesce(sum(batch_id), 0) FROM _sluice_sink_progress' 2>/dev/null || echo 0
}

# restart_server_under_load DB SQL STOPS STOP_CMD START_CMD: runs
# `sluice run --db DB SQL` to its end (stderr appended to err.txt), and
# while it runs stops the sink's server (STOP_CMD) and starts it again
# (START_CMD) up to STOPS times: each stop a random moment (0-100 ms) after
# a sink delivered a batch, the server down 200-700 ms. At every other stop
# sluice is killed (kill -9) while the server is down and started again
# before it is back: the new run finds the batches waiting in the outbox.
# Fails when no batch is delivered within 60 s of a restart while sluice
# runs, the last run fails, or the first ended before the first stop.
# Sets STOPS_DONE (the stops that landed while sluice ran), KILLS_DONE,
# FAULTS_DONE (the two together) and RUNS_DONE (starts of sluice).
restart_server_under_load() {
  local db=$1 sql=$2 stops=$3 stop_cmd=$4 start_cmd=$5 pid before
  STOPS_DONE=0 KILLS_DONE=0 RUNS_DONE=1
  "$SLUICE" run --db "$db" "$sql" >/dev/null 2>>err.txt &
  pid=$!
  for _ in $(seq "$stops"); do
    before=$(sink_delivered "$db")
    for _ in $(seq 3000); do
      [ "$(sink_delivered "$db")" -gt "$before" ] || ! kill -0 "$pid" 2>/dev/null && break
      sleep 0.02
    done
    kill -0 "$pid" 2>/dev/null || break
    [ "$(sink_delivered "$db")" -gt "$before" ] ||
      { kill -9 "$pid"; tail -20 err.txt; fail "no batch delivered within 60 s after $STOPS_DONE server stops"; }
    sleep "$(printf "0.%03d" $((RANDOM % 100)))"
    $stop_cmd
    STOPS_DONE=$((STOPS_DONE + 1))
    if [ $((STOPS_DONE % 2)) = 1 ]; then
      sleep "$(printf "0.%03d" $((RANDOM % 200)))"
      kill -KILL "$pid" 2>/dev/null && KILLS_DONE=$((KILLS_DONE + 1))
      wait "$pid" 2>/dev/null || true
      "$SLUICE" run --db "$db" "$sql" >/dev/null 2>>err.txt &
      pid=$!
      RUNS_DONE=$((RUNS_DONE + 1))
    fi
    sleep "$(printf "0.%03d" $((200 + RANDOM % 500)))"
    $start_cmd
  done
  wait "$pid" || { tail -20 err.txt; fail "sluice run failed after $STOPS_DONE server stops and $KILLS_DONE kills"; }
  [ "$STOPS_DONE" -ge 1 ] || fail "the run ended before the server was stopped"
  FAULTS_DONE=$((STOPS_DONE + KILLS_DONE))
}
