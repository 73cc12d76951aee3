#!/usr/bin/env bash
# A log line printed while a live SELECT redraws its table at a terminal
# (here: a background query's socket closing) stays readable: the next batch
# is drawn below it, whole, instead of over the old table from the wrong line.
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/tmux.bash"
cd "$WORK"
printf 'a\nb\nc\nd\n' >lines.txt
# Four pieces 0.7 s apart: the socket closes ~2 s after the query connects.
start_feeder lines.txt --chunk 2 --pause-ms 700

tmux_start "$SLUICE --db l.db"
tmux_wait_prompt
tmux_type "SET trigger = '200 milliseconds';"
tmux_keys Enter
tmux_wait_prompt
tmux_type "CREATE STREAM g (n BIGINT, ts TIMESTAMP) FROM GENERATOR WITH (rate = 100);"
tmux_keys Enter
tmux_wait 'stream g created'
tmux_type "CREATE STREAM l (line TEXT) FROM SOCKET '127.0.0.1:$FEEDER_PORT' FORMAT TEXT;"
tmux_keys Enter
tmux_wait 'stream l created'
tmux_keys C-l
tmux_wait_prompt
tmux_type 'CREATE QUERY n AS SELECT COUNT(*) AS n FROM l;'
tmux_keys Enter
tmux_wait 'query n started'
tmux_wait_prompt
tmux_type "SELECT n % 2 AS parity, COUNT(*) > 0 AS seen FROM g GROUP BY 1 ORDER BY 1;"
tmux_keys Enter
tmux_wait 'closed by peer; end of stream$'
at_log=$(tmux_screen | sed -nE 's/^batch ([0-9]+) .*/\1/p' | tail -n 1)
tmux_wait "^batch $((at_log + 2)) "
screen=$(tmux_screen)
below=$(printf '%s\n' "$screen" | sed -n '/closed by peer; end of stream$/,$p')
# Below the log line: one whole table (rule, header line, rule, the table), nothing torn.
[ "$(grep -c '^batch ' <<<"$below")" = 1 ] || { echo "$screen"; fail "not one table below the log line"; }
[ "$(sed -n 2p <<<"$below" | tr -d -)" = "" ] && [ -n "$(sed -n 2p <<<"$below")" ] ||
  { echo "$screen"; fail "the table below the log line does not start with its rule"; }
grep -q '^| 1      | 1    |$' <<<"$below" || { echo "$screen"; fail "the table below the log line is not whole"; }
tmux_keys C-c
tmux_wait_prompt
echo "1 passed, 0 failed"
