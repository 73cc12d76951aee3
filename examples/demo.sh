#!/usr/bin/env bash
# make demo: a local feeder writes a public-domain text to 127.0.0.1:9999,
# sluice counts its words (examples/wordcount.sql), and the sqlite3 CLI
# shows the ten most frequent words.
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
work=$(mktemp -d)
trap 'kill $feeder 2>/dev/null || true; rm -rf "$work"' EXIT

# About 3 s of feeding at 100 ms a piece, so several one-second batches commit.
"$root/$build/sl_feeder" --port 9999 --port-file "$work/port" --chunk 120 --pause-ms 100 \
  "$here/data/public-domain.txt" &
feeder=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done

echo "== sluice run --db demo.db examples/wordcount.sql (the feeder sends the text, then closes)"
(cd "$work" && "$root/$build/sluice" run --db demo.db "$here/wordcount.sql") &
sluice=$!
sleep 2
echo
echo "== while it runs: sqlite3 demo.db 'SELECT count(*), sum(n) FROM word_counts'"
sqlite3 -header -cmd '.timeout 2000' "$work/demo.db" 'SELECT count(*) AS words, sum(n) AS total FROM word_counts'
wait $sluice
wait $feeder || true

echo
echo "== sqlite3 demo.db 'SELECT word, n FROM word_counts ORDER BY n DESC, word LIMIT 10'"
sqlite3 -header -column "$work/demo.db" 'SELECT word, n FROM word_counts ORDER BY n DESC, word LIMIT 10'
echo
echo "== batches committed (_sluice_progress)"
sqlite3 -header -column "$work/demo.db" 'SELECT batch_id, rows_in, rows_out, duration_ms FROM _sluice_progress'
