#!/usr/bin/env bash
# At a terminal: a SELECT over no stream, typed on three lines, gets SQLite's
# error with the caret under the column SQLite names (line 2 of the
# statement, not its first character); then the same SELECT fixed computes
# Sluice's functions and a TIMESTAMP + INTERVAL. The screen is golden.
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/tmux.bash"

tmux_start "$SLUICE --db t.db"
tmux_wait_prompt
tmux_type "SELECT 1 AS one,"
tmux_keys Enter
tmux_type "       nope AS two"
tmux_keys Enter
tmux_type "FROM sqlite_master;"
tmux_keys Enter
tmux_wait 'no such column: nope'
tmux_wait_prompt
tmux_type "SELECT split_part('a b', ' ', 2) AS part,"
tmux_keys Enter
tmux_type "       TIMESTAMP '2026-01-01' + INTERVAL '90' MINUTE AS later;"
tmux_keys Enter
tmux_wait '2026-01-01 01:30:00.000000'
tmux_wait_prompt
tmux_expect sqlite_select_tty
tmux_type ".quit"
tmux_keys Enter
tmux_wait_exit
echo "1 passed, 0 failed"
