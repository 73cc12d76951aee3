#!/usr/bin/env bash
# At a terminal, Sluice's own errors (not SQLite's: sqlite_select_tty has
# those) put the caret under the place they are about, on the line of the
# statement it is on, numbered from the session's first line, with the hint:
# an unknown column on the second line of a SELECT over a stream, and an
# unsupported UNION. The screen is golden.
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/tmux.bash"
cd "$WORK"
printf 'a,1\n' >bids.csv

tmux_start "$SLUICE --db t.db"
tmux_wait_prompt
tmux_type "CREATE STREAM bids (auction INT, price INT) FROM FILE 'bids.csv' FORMAT CSV;"
tmux_keys Enter
tmux_wait '^stream bids created'
tmux_wait_prompt
tmux_type "SELECT auction,"
tmux_keys Enter
tmux_type "       prise FROM bids;"
tmux_keys Enter
tmux_wait 'hint: '
tmux_wait_prompt
tmux_type "SELECT auction FROM bids UNION SELECT 1;"
tmux_keys Enter
tmux_wait 'not supported'
tmux_wait_prompt
tmux_expect repl_errors
tmux_type ".quit"
tmux_keys Enter
tmux_wait_exit
echo "1 passed, 0 failed"
