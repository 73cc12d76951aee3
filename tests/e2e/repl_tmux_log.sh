#!/usr/bin/env bash
# A log line that the engine's thread prints while the shell waits at its
# prompt goes above the prompt, which is drawn again with the half-typed
# line after it (not "sluice> sluice: info: ..." and no prompt).
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/tmux.bash"
cd "$WORK"
printf 'a\nb\nc\nd\n' >lines.txt
# Four pieces 0.7 s apart: the socket closes ~2 s after the query connects.
start_feeder lines.txt --chunk 2 --pause-ms 700

tmux_start "$SLUICE --db l.db"
tmux_wait_prompt
tmux_type "CREATE STREAM l (line TEXT) FROM SOCKET '127.0.0.1:$FEEDER_PORT' FORMAT TEXT;"
tmux_keys Enter
tmux_type 'CREATE QUERY n AS SELECT COUNT(*) AS n FROM l;'
tmux_keys Enter
tmux_wait 'query n started'
tmux_wait_prompt
tmux_type "SELECT 'half"
tmux_wait 'closed by peer; end of stream$'
tmux_wait "^sluice> SELECT 'half\$"
screen=$(tmux_screen)
last=$(printf '%s\n' "$screen" | tail -n 1)
[ "$last" = "sluice> SELECT 'half" ] || { echo "$screen"; fail "the prompt and the typed text are not the last line"; }
if printf '%s\n' "$screen" | grep -q 'sluice> .*sluice: '; then
  echo "$screen"; fail "a log line was printed over the prompt"
fi
# The typed line goes on where it was left.
tmux_type "' AS done;"; tmux_keys Enter
tmux_wait '^\| half +\|$'
tmux_wait_prompt
tmux_type '.quit'; tmux_keys Enter
tmux_wait_exit
echo "1 passed, 0 failed"
