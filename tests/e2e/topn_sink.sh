#!/usr/bin/env bash
# A sink over top-N queries (issue 16) receives their changelog: a row that
# leaves the top N is a "delete" by the result table's key. Each sink's JSON
# files, replayed in name order (upserts and deletes by key), equal the
# query's table: a stream's top 3 per auction, keyed by (auction, rn), and a
# window's top 2 auctions by count, keyed by (window, auction).
source "$(dirname "$0")/lib.bash"
cd "$WORK"

seq 51 8050 | awk '{
  t = $1 * 20 + (($1 * 7919) % 101 - 50) * 10
  s = int(t / 1000)
  printf "%d,%d,%d,2026-01-01 %02d:%02d:%02d.%03d\n", $1, ($1 * 31) % 17, ($1 * 7) % 200,
         int(s / 3600), int(s / 60) % 60, s % 60, t % 1000
}' >bids.csv
cat >q.sql <<'SQL'
CREATE STREAM bids (seq BIGINT, auction BIGINT, price BIGINT, ts TIMESTAMP,
                    WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)
  FROM FILE 'bids.csv' FORMAT CSV;
CREATE QUERY top3 AS
  SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) AS rn
                 FROM bids) WHERE rn <= 3 WITH (max_batch_bytes = 4096);
CREATE SINK top3_out FROM top3 INTO FILE 'out/top3' FORMAT JSON WITH (roll = '4 KB');
CREATE QUERY hot AS
  SELECT * FROM (SELECT window_start, window_end, auction, count(*) AS n,
      RANK() OVER (PARTITION BY window_start, window_end ORDER BY count(*) DESC) AS rk
      FROM bids GROUP BY auction WINDOW TUMBLING (SIZE 10 SECONDS)) WHERE rk <= 2
  WITH (max_batch_bytes = 4096);
CREATE SINK hot_out FROM hot INTO FILE 'out/hot' FORMAT JSON WITH (roll = '4 KB');
SQL

# The changelog's files in name order, replayed by key; columns joined by "|".
replay() {
  python3 - "out/$1" "$2" <<'PY'
import glob, json, sys
keys, rows = sys.argv[2].split(","), {}
deletes = 0
for path in sorted(glob.glob(sys.argv[1] + "/*.json")):
    for o in map(json.loads, open(path)):
        op = o.pop("op")
        k = tuple(o[c] for c in keys)
        if op == "delete":
            deletes += 1
            rows.pop(k, None)
        else:
            rows[k] = "|".join(str(v) for v in o.values())
print("\n".join(sorted(rows.values())))
print("deletes", deletes, file=sys.stderr)
PY
}

"$SLUICE" run --db db q.sql >out.txt 2>err.txt || { cat err.txt; fail "sluice run failed"; }
[ "$(replay top3 auction,rn 2>/dev/null)" = "$(sqlite3 db 'SELECT * FROM top3' | sort)" ] ||
  fail "the top3 sink's changelog replayed is not the table"
[ "$(replay hot window_start,window_end,auction 2>/dev/null)" = "$(sqlite3 db 'SELECT * FROM hot' | sort)" ] ||
  fail "the hot sink's changelog replayed is not the table"
replay hot window_start,window_end,auction 2>&1 >/dev/null | grep -qv "deletes 0$" ||
  fail "no auction left a window's top 2: the test shows no delete"
[ "$(sqlite3 db 'SELECT count(*) FROM top3')" = 51 ] || fail "top3 has not 3 rows per auction"
echo "ok: the sinks' changelogs, deletes included, replay into the tables"
echo "1 passed, 0 failed"
