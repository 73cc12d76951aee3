#!/usr/bin/env bash
# The shell's commands at a terminal, compared with golden screens: .read,
# .tables, \dt, .schema, \d (back at the main prompt after it, not the
# continuation one; inside a statement, the statement kept), .mode csv and
# .mode json, exit (inside a statement, a hint), and what a session resumed.
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/tmux.bash"
cd "$WORK"
printf '1,10\n2,20\n1,30\n' >bids.csv
cat >setup.sql <<'SQL'
CREATE STREAM bids (auction INT, price INT) FROM FILE 'bids.csv' FORMAT CSV;
CREATE QUERY top_bids AS SELECT auction, MAX(price) AS top FROM bids GROUP BY auction;
SQL

tmux_start "$SLUICE --db s.db"
tmux_wait_prompt
tmux_type '.read setup.sql'; tmux_keys Enter
tmux_wait '^query top_bids started'
tmux_wait_prompt
for _ in $(seq 400); do [ "$(committed s.db)" -gt 0 ] && break; sleep 0.05; done
[ "$(committed s.db)" -gt 0 ] || fail "top_bids committed no batch"
# Its file read to the end, the query finishes: the screens show it FINISHED.
for _ in $(seq 100); do
  tmux_type 'SHOW QUERIES;'; tmux_keys Enter
  tmux_wait_prompt
  tmux_screen | grep -q '| top_bids | FINISHED' && break
  sleep 0.1
done
tmux_screen | grep -q '| top_bids | FINISHED' || fail "top_bids did not finish"

tmux_keys C-l
tmux_wait_prompt
tmux_type '.tables'; tmux_keys Enter
tmux_wait_prompt
tmux_type '\dt'; tmux_keys Enter
tmux_wait_prompt
tmux_expect repl_commands_tables

tmux_keys C-l
tmux_wait_prompt
tmux_type '.schema'; tmux_keys Enter
tmux_wait_prompt
tmux_type '\d'; tmux_keys Enter
tmux_wait_prompt
tmux_expect repl_commands_catalog

tmux_keys C-l
tmux_wait_prompt
tmux_type '.mode csv'; tmux_keys Enter
tmux_type 'SELECT * FROM top_bids ORDER BY auction;'; tmux_keys Enter
tmux_wait_prompt
tmux_type '.headers on'; tmux_keys Enter
tmux_type 'SELECT * FROM top_bids ORDER BY auction;'; tmux_keys Enter
tmux_wait_prompt
tmux_type '.mode json'; tmux_keys Enter
tmux_type 'SELECT * FROM top_bids ORDER BY auction;'; tmux_keys Enter
tmux_wait_prompt
tmux_type '.mode'; tmux_keys Enter
tmux_wait_prompt
tmux_expect repl_commands_modes

# Inside a statement, \d runs and the statement stays pending (psql), and
# `exit` is part of the statement, with a hint.
tmux_keys C-l
tmux_wait_prompt
tmux_type 'SELECT 1 AS x,'; tmux_keys Enter
tmux_type '\d'; tmux_keys Enter
tmux_wait '"type":"query"'
tmux_type 'exit'; tmux_keys Enter
tmux_wait '^\(a statement is being typed'
[ "$(tmux_screen | tail -n 1)" = '   ...>' ] || { tmux_screen; fail "not in the continuation prompt"; }
tmux_keys C-c
tmux_wait_prompt
tmux_type 'exit'; tmux_keys Enter
tmux_wait_exit

# The next session says what it resumed.
tmux_ kill-server
tmux_start "$SLUICE --db s.db"
tmux_wait '^resumed 1 saved query from s.db \(.queries lists them\)$'
tmux_wait_prompt
tmux_type '.quit'; tmux_keys Enter
tmux_wait_exit
echo "1 passed, 0 failed"
