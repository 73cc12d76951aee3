#!/usr/bin/env bash
# `sluice nexmark` writes the events a NEXMARK stream with the same options reads:
# its CSV and its JSON, read by FILE streams, give the same aggregates as the
# NEXMARK stream itself, for each kind.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

declare -A cols=(
  [bid]="auction BIGINT, bidder BIGINT, price BIGINT, channel TEXT, url TEXT, date_time TIMESTAMP, extra TEXT"
  [auction]="id BIGINT, item_name TEXT, description TEXT, initial_bid BIGINT, reserve BIGINT, date_time TIMESTAMP, expires TIMESTAMP, seller BIGINT, category BIGINT, extra TEXT"
  [person]="id BIGINT, name TEXT, email_address TEXT, credit_card TEXT, city TEXT, state TEXT, date_time TIMESTAMP, extra TEXT"
)
declare -A agg=(
  [bid]="channel LIKE 'channel-%' AS k, COUNT(*) AS n, SUM(price) AS p, SUM(auction) AS a, SUM(bidder) AS b, MAX(date_time) AS t, SUM(LENGTH(url)) AS u, SUM(LENGTH(extra)) AS x"
  [auction]="category AS k, COUNT(*) AS n, SUM(reserve) AS p, SUM(seller) AS s, MAX(expires) AS t, SUM(LENGTH(description)) AS d, SUM(LENGTH(extra)) AS x"
  [person]="state AS k, COUNT(*) AS n, SUM(id) AS i, MAX(date_time) AS t, SUM(LENGTH(name || email_address || credit_card || city)) AS l, SUM(LENGTH(extra)) AS x"
)
for kind in bid auction person; do
  "$SLUICE" nexmark --events 20000 --kind $kind --format csv --rate 5000 --seed 9 >$kind.csv ||
    fail "sluice nexmark --format csv failed"
  "$SLUICE" nexmark --events 20000 --kind $kind --format json --rate 5000 --seed 9 >$kind.json ||
    fail "sluice nexmark --format json failed"
  cat >$kind.sql <<SQL
CREATE STREAM gen (${cols[$kind]}) FROM NEXMARK WITH (kind = '$kind', events = 20000, rate = 5000, seed = 9);
CREATE STREAM csv (${cols[$kind]}) FROM FILE '$kind.csv' FORMAT CSV;
CREATE STREAM json (${cols[$kind]}) FROM FILE '$kind.json' FORMAT JSON;
CREATE QUERY from_gen AS SELECT ${agg[$kind]} FROM gen GROUP BY 1;
CREATE QUERY from_csv AS SELECT ${agg[$kind]} FROM csv GROUP BY 1;
CREATE QUERY from_json AS SELECT ${agg[$kind]} FROM json GROUP BY 1;
SQL
  "$SLUICE" run --db $kind.db $kind.sql >/dev/null 2>err.txt || { cat err.txt; fail "$kind: run failed"; }
  gen=$(sqlite3 $kind.db "SELECT * FROM from_gen ORDER BY k")
  [ -n "$gen" ] || fail "$kind: the NEXMARK stream gave nothing"
  [ "$(sqlite3 $kind.db "SELECT * FROM from_csv ORDER BY k")" = "$gen" ] || fail "$kind: the CSV file differs"
  [ "$(sqlite3 $kind.db "SELECT * FROM from_json ORDER BY k")" = "$gen" ] || fail "$kind: the JSON file differs"
done
"$SLUICE" nexmark --events 10 --kind lot 2>err.txt && fail "an unknown kind was accepted"
grep -q "person, auction or bid" err.txt || { cat err.txt; fail "no reason for the unknown kind"; }
echo "ok: CSV and JSON files give the NEXMARK stream's aggregates for every kind"
echo "1 passed, 0 failed"
