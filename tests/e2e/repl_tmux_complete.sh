#!/usr/bin/env bash
# Tab at a terminal completes: a column of the stream the statement reads
# (named on this line or an earlier one of the statement), a qualified
# column, a stream after FROM, a keyword in the case it was begun in, what
# SHOW lists, and a dot-command at the start of a line.
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/tmux.bash"
cd "$WORK"
printf '1,10,ann\n2,20,bob\n' >bids.csv

tmux_start "$SLUICE --db c.db"
tmux_wait_prompt
tmux_type "CREATE STREAM bids (auction INT, price INT, bidder TEXT) FROM FILE 'bids.csv' FORMAT CSV;"
tmux_keys Enter
tmux_wait '^stream bids created$'
tmux_wait_prompt
tmux_keys C-l
tmux_wait_prompt
tmux_type 'sel'; tmux_keys Tab
tmux_type '* FROM bi'; tmux_keys Tab
tmux_keys Enter
tmux_type 'WHERE bidd'; tmux_keys Tab
tmux_type "<> 'x' AND bids.pri"; tmux_keys Tab
tmux_type '> 0;'
tmux_wait 'bids.price > 0;$'
# Not run (a live SELECT): Ctrl-C drops it.
tmux_keys C-c
tmux_wait_prompt
tmux_type 'SHOW STR'; tmux_keys Tab
tmux_wait '^sluice> SHOW STREAMS$'
tmux_keys C-c
tmux_wait_prompt
tmux_type '.sch'; tmux_keys Tab
tmux_type 'bi'; tmux_keys Tab
tmux_wait '^sluice> .schema bids$'
tmux_keys Enter
tmux_wait_prompt
tmux_expect repl_complete
echo "1 passed, 0 failed"
