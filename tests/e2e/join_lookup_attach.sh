#!/usr/bin/env bash
# Lookup joins with tables beyond the main database's own: a table of an
# ATTACHed file (aux.rates), and another query's result table (totals, kept
# by the first query of the script). Each checked against SQLite's join of
# the same rows.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

sqlite3 aux.db "CREATE TABLE rates (cur TEXT PRIMARY KEY, r REAL);
                INSERT INTO rates VALUES ('eur', 1.5), ('usd', 1.0)"
printf 'id,cur,amount\n1,eur,10\n2,usd,20\n3,gbp,30\n4,eur,5\n' >pay.csv
printf 'id,cur\n1,eur\n2,gbp\n3,usd\n4,chf\n' >late.csv
cat >q.sql <<'SQL'
ATTACH DATABASE 'aux.db' AS aux;
CREATE STREAM pay (id INTEGER, cur TEXT, amount INTEGER) FROM FILE 'pay.csv' FORMAT CSV (header = true);
CREATE QUERY converted AS
  SELECT p.id, p.amount * x.r AS value FROM pay p LEFT JOIN aux.rates x ON x.cur = p.cur;
CREATE QUERY totals AS SELECT cur, sum(amount) AS total FROM pay GROUP BY cur;
EXPLAIN SELECT p.id FROM pay p JOIN aux.rates x ON x.cur = p.cur;
SQL
"$SLUICE" run --db db q.sql >out.txt 2>err.txt || { cat err.txt; fail "sluice run failed"; }
grep -q "lookup join aux.rates on cur = rates.cur: index by SEARCH rates USING INDEX" out.txt ||
  { cat out.txt; fail "EXPLAIN does not show the attached table's index"; }
want=$(sqlite3 db "ATTACH 'aux.db' AS aux; CREATE TEMP TABLE p (id, cur, amount);
  INSERT INTO p VALUES (1, 'eur', 10), (2, 'usd', 20), (3, 'gbp', 30), (4, 'eur', 5);
  SELECT p.id, p.amount * x.r FROM p LEFT JOIN aux.rates x ON x.cur = p.cur ORDER BY 1")
got=$(sqlite3 db "SELECT id, value FROM converted ORDER BY id")
[ "$got" = "$want" ] || fail "attached lookup: got $got, want $want"

# A second run reads the first query's result table, whole by now.
cat >q2.sql <<'SQL'
CREATE STREAM late (id INTEGER, cur TEXT) FROM FILE 'late.csv' FORMAT CSV (header = true);
CREATE QUERY with_total AS SELECT l.id, t.total FROM late l LEFT JOIN totals t ON t.cur = l.cur;
SQL
"$SLUICE" run --db db q2.sql 2>>err.txt || { cat err.txt; fail "the second run failed"; }
got=$(sqlite3 db "SELECT id || ':' || coalesce(total, '-') FROM with_total ORDER BY id" | tr '\n' ' ')
[ "$got" = "1:15 2:30 3:20 4:- " ] || fail "lookup of a query's table: got $got"
# Without the ATTACH the table is unknown, with a hint.
printf "CREATE STREAM p2 (cur TEXT) FROM FILE 'late.csv' FORMAT CSV (header = true);
SELECT * FROM p2 JOIN aux.rates x ON x.cur = p2.cur;\n" >q3.sql
if "$SLUICE" check --db db q3.sql 2>check.txt; then fail "check accepted an unattached table"; fi
grep -q 'unknown table "aux.rates"' check.txt && grep -q "ATTACH the database first" check.txt ||
  { cat check.txt; fail "no hint for an unattached table"; }
echo ok
