#!/usr/bin/env bash
# Word counts from a file, stdin and a socket each equal
# `tr ' ' '\n' | grep -v '^$' | sort | uniq -c` on the same multi-megabyte
# text (UTF-8 words included), read back with the sqlite3 CLI.
source "$(dirname "$0")/lib.bash"

text=$WORK/text.txt
"$BUILD_DIR/sl_textgen" 3000000 20000 7 >"$text"
cat "$SOURCE_DIR/examples/data/public-domain.txt" >>"$text"
oracle_word_counts "$text" >"$WORK/expected"
[ "$(wc -l <"$WORK/expected")" -gt 1000 ] || fail "oracle produced too few words"
grep -q 'Götterfunken' "$WORK/expected" || fail "no UTF-8 word in the text"

query="CREATE QUERY word_counts AS
  SELECT word, COUNT(*) AS n FROM lines, UNNEST(split(line, ' ')) AS word
  WHERE word <> '' GROUP BY word TRIGGER EVERY 200 MILLISECONDS;"

check_counts() {
  sqlite3 "$1" "SELECT word || '|' || n FROM word_counts" | sort >"$WORK/actual"
  diff -q "$WORK/expected" "$WORK/actual" >/dev/null || {
    diff "$WORK/expected" "$WORK/actual" | head -20
    fail "$2: word counts differ from the shell pipeline"
  }
  echo "ok: $2 ($(wc -l <"$WORK/actual") distinct words)"
}

echo "CREATE STREAM lines (line TEXT) FROM FILE '$text' FORMAT TEXT; $query" >"$WORK/file.sql"
"$SLUICE" run --db "$WORK/file.db" "$WORK/file.sql"
check_counts "$WORK/file.db" file

echo "CREATE STREAM lines (line TEXT) FROM STDIN FORMAT TEXT; $query" >"$WORK/stdin.sql"
"$SLUICE" run --db "$WORK/stdin.db" "$WORK/stdin.sql" <"$text"
check_counts "$WORK/stdin.db" stdin

start_feeder "$text" --chunk 65536
echo "CREATE STREAM lines (line TEXT) FROM SOCKET '127.0.0.1:$FEEDER_PORT' FORMAT TEXT; $query" >"$WORK/socket.sql"
"$SLUICE" run --db "$WORK/socket.db" "$WORK/socket.sql"
check_counts "$WORK/socket.db" socket

batches=$(sqlite3 "$WORK/socket.db" "SELECT count(*) FROM _sluice_progress WHERE query = 'word_counts'")
[ "$batches" -ge 1 ] || fail "no progress rows"
rows_in=$(sqlite3 "$WORK/file.db" "SELECT sum(rows_in) FROM _sluice_progress")
[ "$rows_in" -eq "$(wc -l <"$text")" ] || fail "rows_in $rows_in is not the line count"
echo "1 passed, 0 failed"
