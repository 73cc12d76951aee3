#!/usr/bin/env bash
# A live SELECT at a real terminal (tmux): its table is redrawn in place
# batch after batch under one header line (batch, rows/s, watermark, late
# rows, dead letters); Ctrl-C stops it at once — the prompt comes back, no
# batch is printed after it and nothing typed meanwhile is echoed. The
# screen, batch number and rate masked, is compared with
# tests/e2e/screens/repl_live_view.txt.
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/tmux.bash"
cd "$WORK"

tmux_start "$SLUICE --db live.db"
tmux_wait_prompt
# Five batches a second, so that a batch after Ctrl-C would show within the wait below.
tmux_type "SET trigger = '200 milliseconds';"
tmux_keys Enter
tmux_wait_prompt
tmux_type "CREATE STREAM g (n BIGINT, ts TIMESTAMP) FROM GENERATOR WITH (rate = 100);"
tmux_keys Enter
tmux_wait 'stream g created'
tmux_wait_prompt
tmux_keys C-l
tmux_wait_prompt
tmux_type "SELECT n % 2 AS parity, COUNT(*) > 0 AS seen FROM g GROUP BY 1 ORDER BY 1;"
tmux_keys Enter
# The third batch or a later one.
tmux_wait '^batch ([3-9]|[1-9][0-9]+) \| [0-9]+ rows/s'
# In place: the screen holds one table under one header line.
headers=$(tmux_screen | grep -c '^batch ' || true)
[ "$headers" = 1 ] || { tmux_screen; fail "the table was not redrawn in place: $headers header lines"; }
tmux_type "typed while live"
tmux_keys C-c
tmux_wait_prompt
stopped=$(tmux_screen)
# Ten trigger intervals: a batch printed after Ctrl-C would change the screen.
sleep 2
[ "$(tmux_screen)" = "$stopped" ] || { tmux_screen; fail "the screen changed after Ctrl-C"; }
grep -q 'typed' <<<"$stopped" && { echo "$stopped"; fail "input typed during the live view was echoed"; }
# The prompt works again.
tmux_type "SELECT 6 * 7 AS answer;"
tmux_keys Enter
tmux_wait '^\| 42 +\|$'
tmux_wait_prompt
masked=$(tmux_screen | sed -E -e 's/^batch [0-9]+ \| [0-9]+ rows\/s/batch N | R rows\/s/' \
  -e 's/^-{43,}$/----/')
if [ -n "${UPDATE_GOLDEN:-}" ]; then
  printf '%s\n' "$masked" >"$SCREENS_DIR/repl_live_view.txt"
else
  diff -u "$SCREENS_DIR/repl_live_view.txt" <(printf '%s\n' "$masked") ||
    fail "the screen differs from tests/e2e/screens/repl_live_view.txt"
fi
echo "1 passed, 0 failed"
