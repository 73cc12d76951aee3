#!/usr/bin/env bash
# The latency benchmark's machinery (bench/nexmark/latency.sh, sl_pacer), at a
# small rate for a few seconds: the pacer writes as many bids as asked, and
# each window measured gets a latency that is a time (positive, under the
# run's length). Performance is the benchmark's business, not this test's.
source "$(dirname "$0")/lib.bash"
build=$(realpath --relative-to="$SOURCE_DIR" "$BUILD_DIR")
NEXMARK_DATA=$WORK NEXMARK_LATENCY_EVENTS=20000 NEXMARK_LATENCY_RATE=20000 \
  NEXMARK_LATENCY_SECONDS=5 "$SOURCE_DIR/bench/nexmark/latency.sh" "$build" >"$WORK/out.md"

grep -q 'sl_pacer: 100000 lines in 5.0 s' "$WORK/out.md" ||
  fail "the pacer did not write 100000 lines: $(cat "$WORK/out.md")"
row=$(grep '^| [0-9]' "$WORK/out.md") || fail "no figures: $(cat "$WORK/out.md")"
windows=$(echo "$row" | cut -d'|' -f2 | tr -d ' ')
p99=$(echo "$row" | cut -d'|' -f4 | tr -d ' ms')
[ "$windows" -ge 1 ] || fail "no window measured: $row"
awk -v p="$p99" 'BEGIN {exit !(p > 0 && p < 5000)}' || fail "p99 is not a latency: $row"
