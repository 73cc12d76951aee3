#!/usr/bin/env bash
# The shell at a terminal keeps a multi-line statement whole in its history:
# Up brings back all its lines, and Enter runs it again; `exit` alone on a
# line leaves, and the history file holds the statement for the next session.
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/tmux.bash"
cd "$WORK"

tmux_start "$SLUICE --db h.db"
tmux_wait_prompt
tmux_keys C-l
tmux_type 'SELECT 6 * 7 AS answer,'; tmux_keys Enter
tmux_type "  'multi' AS lines"; tmux_keys Enter
tmux_type 'ORDER BY 1;'; tmux_keys Enter
tmux_wait '^\(1 row\)$'
tmux_wait_prompt
tmux_keys C-l
tmux_wait_prompt
tmux_keys Up
tmux_wait '^ORDER BY 1;$'
tmux_expect repl_history_recalled
tmux_keys Enter
tmux_wait '^\(1 row\)$'
tmux_wait_prompt
tmux_expect repl_history_rerun
tmux_type 'exit'; tmux_keys Enter
tmux_wait_exit
grep -q 'multi' .sluice_history || fail "the history file lacks the statement"

# The next session recalls it whole from the file (before the `exit`).
tmux_ kill-server
tmux_start "$SLUICE --db h.db"
tmux_wait_prompt
tmux_keys C-l
tmux_wait_prompt
tmux_keys Up
tmux_wait '^sluice> exit$'
tmux_keys Up
tmux_wait '^ORDER BY 1;$'
tmux_expect repl_history_recalled
tmux_keys C-c
tmux_wait_prompt
tmux_type 'quit;'; tmux_keys Enter
tmux_wait_exit
echo "1 passed, 0 failed"
