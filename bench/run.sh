#!/usr/bin/env bash
# make bench: word-count throughput of `sluice run` over a generated 100 MB
# text file against `tr ' ' '\n' | grep -v '^$' | sort | uniq -c` on the same
# file in the same run, as a ratio (machines are noisy; ratios travel).
# Memory: peak RSS at 25 MB and at 100 MB of input with the same vocabulary
# stays flat, since state is bounded by the number of distinct words.
# Appends a dated section to bench/RESULTS.md.
source "$(dirname "$0")/lib.bash"
mb=${BENCH_MB:-100}
vocab=${BENCH_VOCAB:-100000}

gen() { # gen MB -> path (cached between runs)
  local f=$data/words-$1M-v$vocab.txt
  [ -s "$f" ] || "$root/$build/sl_textgen" $(($1 * 1000000)) "$vocab" 42 >"$f"
  echo "$f"
}

# run_sluice FILE -> "seconds peak_rss_kb"
run_sluice() {
  rm -f "$work"/db*
  cat >"$work/q.sql" <<SQL
CREATE STREAM lines (line TEXT) FROM FILE '$1' FORMAT TEXT;
CREATE QUERY word_counts AS
  SELECT word, COUNT(*) AS n FROM lines, UNNEST(split(line, ' ')) AS word
  WHERE word <> '' GROUP BY word;
SQL
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$work/rss" "$root/$build/sluice" run --db "$work/db" "$work/q.sql" 2>/dev/null
  end=$(date +%s.%N)
  echo "$(echo "$end - $start" | bc -l) $(tail -1 "$work/rss")"
}

run_pipeline() {
  local start end
  start=$(date +%s.%N)
  tr ' ' '\n' <"$1" | grep -v '^$' | sort | uniq -c >"$work/pipeline.out"
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

small=$(gen $((mb / 4)))
big=$(gen "$mb")
bytes=$(stat -c %s "$big")
lines=$(wc -l <"$big")

read -r t_small rss_small < <(run_sluice "$small")
read -r t_sluice rss_big < <(run_sluice "$big")
distinct=$(sqlite3 "$work/db" 'select count(*) from word_counts')
t_pipe=$(run_pipeline "$big")

# The two must agree before their speeds are worth comparing.
sqlite3 "$work/db" "select word || '|' || n from word_counts" | sort >"$work/a"
awk '{print $2 "|" $1}' "$work/pipeline.out" | sort >"$work/b"
cmp -s "$work/a" "$work/b" || { echo "bench: sluice and the pipeline disagree" >&2; exit 1; }

f() { printf '%.2f' "$1"; }
mbps_s=$(echo "$bytes / 1000000 / $t_sluice" | bc -l)
mbps_p=$(echo "$bytes / 1000000 / $t_pipe" | bc -l)
lps_s=$(echo "$lines / $t_sluice" | bc -l)
lps_p=$(echo "$lines / $t_pipe" | bc -l)
ratio=$(echo "$t_pipe / $t_sluice" | bc -l)

report=$(cat <<MD

## Word count, $(date -u '+%Y-%m-%d %H:%M UTC') ($(nproc) cores, $(uname -m))

Command: \`make bench\` (bench/run.sh); input: \`sl_textgen $((mb * 1000000)) $vocab 42\`,
$(f "$(echo "$bytes / 1000000" | bc -l)") MB, $lines lines, $distinct distinct words.

| | seconds | MB/s | lines/s | peak RSS |
|---|---|---|---|---|
| \`sluice run\` (file source) | $(f "$t_sluice") | $(f "$mbps_s") | $(printf '%.0f' "$lps_s") | $((rss_big / 1024)) MiB |
| \`tr \| grep \| sort \| uniq -c\` (LC_ALL=C) | $(f "$t_pipe") | $(f "$mbps_p") | $(printf '%.0f' "$lps_p") | |

Sluice is **$(f "$ratio")x** the pipeline's speed (target: at least 5x).
Peak RSS with the same vocabulary: $((rss_small / 1024)) MiB at $((mb / 4)) MB of input,
$((rss_big / 1024)) MiB at $mb MB (bounded by distinct words, not input size).
MD
)
echo "$report"
echo "$report" >>"$root/bench/RESULTS.md"

# Line-per-record push sources (SOCKET LISTEN, URL): bench/line_sources.sh.
"$root/bench/line_sources.sh" "$build"
