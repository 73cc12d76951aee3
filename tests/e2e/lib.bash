# Shared helpers for the e2e scripts (sourced, not a test itself).
# ctest sets SLUICE (the binary), BUILD_DIR and SOURCE_DIR.
set -euo pipefail
export LC_ALL=C
: "${SLUICE:?run through ctest, which sets SLUICE}"
WORK=$(mktemp -d)
BG_PIDS=()
cleanup() {
  for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# Every read waits out SQLite's brief locks, as a reader with a busy timeout does
# (docs/operations.md, "Reading results while queries run"): without one, a loaded
# machine answered "database is locked" at random just after sluice exited.
sqlite3() { command sqlite3 -cmd '.timeout 10000' "$@"; }

# start_feeder FILE [feeder options...]: serves FILE once on a free port; sets FEEDER_PORT.
start_feeder() {
  local file=$1; shift
  rm -f "$WORK/port"
  "$BUILD_DIR/sl_feeder" --port-file "$WORK/port" "$@" "$file" &
  BG_PIDS+=($!)
  for _ in $(seq 200); do [ -s "$WORK/port" ] && break; sleep 0.05; done
  FEEDER_PORT=$(cat "$WORK/port")
}

# The shell pipeline every word count must equal, as "word|count" lines.
oracle_word_counts() {
  tr ' ' '\n' <"$1" | grep -v '^$' | sort | uniq -c | awk '{print $2 "|" $1}' | sort
}

# committed DB: how many batches the database holds (0 before the first).
committed() { sqlite3 "$1" 'SELECT count(*) FROM _sluice_progress' 2>/dev/null || echo 0; }

# kill_and_restart DB SQL: runs `sluice run --db DB SQL` again and again,
# each time killed with SIGKILL at a random moment (0-150 ms) after its
# first committed batch — so that every kill has something to resume from,
# however slow the machine — until KILL_MAX (default 20) kills landed or a run finished (stderr
# appended to err.txt); then once more to the end, its stdout in out.txt.
# Sets KILLS and RESTARTS (every start of sluice, the last one included). If AFTER_KILL names a command, it runs after each kill.
kill_and_restart() {
  local db=$1 sql=$2 pid before
  KILLS=0
  RESTARTS=0
  for _ in $(seq $((${KILL_MAX:-20} + 40))); do
    before=$(committed "$db")
    "$SLUICE" run --db "$db" "$sql" >/dev/null 2>>err.txt &
    pid=$!
    RESTARTS=$((RESTARTS + 1))
    for _ in $(seq 300); do
      [ "$(committed "$db")" -gt "$before" ] || ! kill -0 "$pid" 2>/dev/null && break
      sleep 0.01
    done
    sleep "$(printf "0.%03d" $((RANDOM % 150)))"
    if kill -9 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null || true
      KILLS=$((KILLS + 1))
      [ -z "${AFTER_KILL:-}" ] || $AFTER_KILL
      [ "$KILLS" -ge "${KILL_MAX:-20}" ] && break
    else
      wait "$pid" || { cat err.txt; fail "sluice run failed after $KILLS kills"; }
      break
    fi
  done
  RESTARTS=$((RESTARTS + 1))
  "$SLUICE" run --db "$db" "$sql" >out.txt 2>>err.txt || { cat err.txt; fail "the last run failed"; }
}

# Soak mode (tests/soak/run; make soak): the same scripts, longer. SOAK_SCALE
# (default 1) multiplies a script's input; the runner also sets KILL_MAX.
# soak_scale N: N times SOAK_SCALE.
soak_scale() { echo $(($1 * ${SOAK_SCALE:-1})); }

# soak_report SCENARIO KILLS RESTARTS ROWS: a script that passed says what it
# proved, one tab-separated line in SOAK_REPORT (when the soak runner set it):
# how many kill -9 (and server stops, disk fills) it survived, how many times
# sluice was started, and how many rows it compared with the uninterrupted
# run or the oracle (the script fails on any difference).
soak_report() {
  [ -n "${SOAK_REPORT:-}" ] || return 0
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$SOAK_REPORT"
}
