#!/usr/bin/env bash
# Peak RSS of an interval join on the Nexmark generator (issue 16): each bid
# joined with its auction when it came within 10 seconds of the auction's
# creation, counted per category in 10-second windows, over 10 million and
# then 100 million events (JOIN_RSS_EVENTS). The join keeps a bid until the
# auctions' watermark passes it and an auction until the bids' watermark is
# 10 s past it, so its state is a few seconds of event time whatever the
# run's length: the peak RSS must stay flat. Prints one line per size:
# events, seconds, user+sys seconds, peak RSS in KiB, joined bids.
#   bench/join_rss.sh [build]
source "$(dirname "$0")/lib.bash"
rate=${JOIN_RSS_RATE:-10000}

for events in ${JOIN_RSS_EVENTS:-10000000 100000000}; do
  rm -f "$work"/db*
  sed -e "s/\${EVENTS}/$events/g" -e "s/\${RATE}/$rate/g" -e "s/\${SEED}/42/g" \
    "$root/bench/nexmark/streams/generator.sql" >"$work/q.sql"
  cat >>"$work/q.sql" <<'SQL'
CREATE QUERY j AS
  SELECT a.category, COUNT(*) AS bids, MAX(b.price) AS top
  FROM bid b JOIN auction a
    ON b.auction = a.id AND b.date_time BETWEEN a.date_time AND a.date_time + INTERVAL '10' SECOND
  GROUP BY a.category WINDOW TUMBLING (SIZE 10 SECONDS) EMIT FINAL;
SQL
  timed "$work/t" "$root/$build/sluice" run --db "$work/db" "$work/q.sql" >/dev/null
  read -r wall user sys rss <"$work/t"
  joined=$(sqlite3 "$work/db" "SELECT coalesce(sum(bids), 0) FROM j")
  state=$(sqlite3 "$work/db" "SELECT max(state_groups) FROM _sluice_progress WHERE query = 'j'")
  echo "events=$events seconds=$wall cpu=$(echo "$user + $sys" | bc) peak_rss_kb=$rss" \
       "joined_bids=$joined max_state_rows=$state"
done
