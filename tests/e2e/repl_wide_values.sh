#!/usr/bin/env bash
# The shell's tables at a real terminal (tmux): CJK text and emoji take two
# columns each and still line up, a value with newlines spans lines within
# its row, a NULL is shown empty (as sqlite3 shows it); the screen is compared
# with tests/e2e/screens/repl_wide_values.txt.
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/tmux.bash"
cd "$WORK"

printf '%s\n' 'word,note' '日本語,"first line' 'second line"' 'abc,😀 smile' 'naïve,' >words.csv

tmux_start "$SLUICE --db wide.db"
tmux_wait_prompt
tmux_type "CREATE STREAM w (word TEXT, note TEXT) FROM FILE 'words.csv' FORMAT CSV (header = true);"
tmux_keys Enter
tmux_wait 'stream w created'
tmux_type "CREATE QUERY words AS SELECT word, note, length(word) AS chars FROM w;"
tmux_keys Enter
tmux_wait_prompt
# The query reads the whole file in its first batch.
for _ in $(seq 200); do
  [ "$(sqlite3 wide.db 'SELECT count(*) FROM words' 2>/dev/null || echo 0)" = 3 ] && break
  sleep 0.1
done
tmux_keys C-l
tmux_wait_prompt
tmux_type "SELECT word, note, chars, NULL AS missing FROM words ORDER BY chars DESC, word;"
tmux_keys Enter
tmux_wait '^\(3 rows\)$'
tmux_wait_prompt
tmux_expect repl_wide_values
echo "1 passed, 0 failed"
