-- q13's side input (sqlite3 CLI), as Flink's SideInputGenerator writes it
-- (--num 10000): keys 0 to 9999, each value the key as text. Run on Sluice's
-- database before the query starts, and on the oracle's.
CREATE TABLE IF NOT EXISTS side_input (key INTEGER PRIMARY KEY, value TEXT);
WITH RECURSIVE n(key) AS (SELECT 0 UNION ALL SELECT key + 1 FROM n WHERE key < 9999)
INSERT OR REPLACE INTO side_input SELECT key, CAST(key AS TEXT) FROM n;
