# Driving a program in a real terminal: tmux on a private server, a fixed-size
# window, keys sent as a person types them, the screen read back and compared
# with golden text (sourced after lib.bash, not a test itself).
#
#   tmux_start "$SLUICE --db x.db"   the command runs in a 100x30 UTF-8 terminal
#   tmux_type 'SELECT 1;'            literal text;  tmux_keys Enter Tab C-c Up  named keys
#   tmux_wait 'regex' [seconds]      until a line of the screen matches (fails with the screen)
#   tmux_wait_prompt                 until the last non-empty line is the prompt, then still
#   tmux_screen                      the screen, trailing spaces and blank lines dropped
#   tmux_expect NAME                 the screen equals tests/e2e/screens/NAME.txt
#                                    (UPDATE_GOLDEN=1 writes it; read the diff)
#   tmux_wait_exit [seconds]         until the program has exited
# The server is killed when the script exits, passing or failing.
command -v tmux >/dev/null || fail "tmux is needed (scripts/install-deps installs it)"

TMUX_SOCKET=$WORK/tmux.sock
TMUX_COLS=${TMUX_COLS:-100}
TMUX_ROWS=${TMUX_ROWS:-30}
TMUX_PROMPT=${TMUX_PROMPT:-'sluice> '}
SCREENS_DIR=$SOURCE_DIR/tests/e2e/screens

tmux_() { tmux -S "$TMUX_SOCKET" "$@"; }

tmux_cleanup() {
  tmux_ kill-server 2>/dev/null || true
  cleanup
}
trap tmux_cleanup EXIT

# tmux_start COMMAND: a UTF-8 terminal with HOME in the test's folder (history
# and settings of the person running the tests stay out) and no colours, so
# screens compare as text.
tmux_start() {
  tmux_ -f /dev/null -u new-session -d -s t -x "$TMUX_COLS" -y "$TMUX_ROWS" \
    "cd '$WORK' && exec env HOME='$WORK' LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color NO_COLOR=1 $1"
  # A program that exits leaves its last screen to be read.
  tmux_ set-option -t t remain-on-exit on >/dev/null
}

# tmux reads an argument ending in ';' as a command separator: a trailing ';' is sent as its byte.
tmux_type() {
  local text=$1 semis=""
  while [ "${text%;}" != "$text" ]; do text=${text%;}; semis+=" 3b"; done
  [ -z "$text" ] || tmux_ send-keys -t t -l -- "$text"
  [ -z "$semis" ] || tmux_ send-keys -t t -H $semis
}
tmux_keys() { tmux_ send-keys -t t "$@"; }

tmux_screen() {
  tmux_ capture-pane -p -t t | sed -e 's/[[:space:]]*$//' | sed -e ':a' -e '/^\n*$/{$d;N;ba' -e '}'
}

tmux_wait() {
  local pattern=$1 seconds=${2:-20} i
  for ((i = 0; i < seconds * 20; i++)); do
    tmux_screen | grep -qE -- "$pattern" && return 0
    sleep 0.05
  done
  tmux_screen >&2
  fail "the screen never showed /$pattern/ in ${seconds} s"
}

# The prompt is the last line, and the screen stays the same for 0.3 s (the
# answer before it is printed in full).
tmux_wait_prompt() {
  local seconds=${1:-20} i last="" now
  for ((i = 0; i < seconds * 10; i++)); do
    now=$(tmux_screen)
    if [ "$(printf '%s\n' "$now" | tail -n 1)" = "${TMUX_PROMPT% }" ] || \
       [ "$(printf '%s\n' "$now" | tail -n 1)" = "$TMUX_PROMPT" ]; then
      [ "$now" = "$last" ] && return 0
      last=$now
      sleep 0.3
      continue
    fi
    last=""
    sleep 0.1
  done
  tmux_screen >&2
  fail "no prompt after ${seconds} s"
}

tmux_expect() {
  local golden=$SCREENS_DIR/$1.txt
  tmux_screen >"$WORK/screen-$1.txt"
  if [ -n "${UPDATE_GOLDEN:-}" ]; then
    mkdir -p "$SCREENS_DIR"
    cp "$WORK/screen-$1.txt" "$golden"
    return 0
  fi
  [ -f "$golden" ] || { cat "$WORK/screen-$1.txt" >&2; fail "no golden screen $golden (UPDATE_GOLDEN=1 writes it)"; }
  diff -u "$golden" "$WORK/screen-$1.txt" >&2 || fail "the screen differs from $golden"
}

tmux_wait_exit() {
  local seconds=${1:-20} i
  for ((i = 0; i < seconds * 20; i++)); do
    [ "$(tmux_ display-message -p -t t '#{pane_dead}')" = 1 ] && return 0
    sleep 0.05
  done
  tmux_screen >&2
  fail "the program did not exit in ${seconds} s"
}
