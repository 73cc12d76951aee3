-- Errors in a SELECT handed to SQLite: SQLite's own put the caret where
-- sqlite3_error_offset says (line 2, not the statement's start); an
-- invalid TIMESTAMP or INTERVAL literal is Sluice's, as in a CREATE QUERY.
-- "x" is an identifier there as in Sluice's SQL (not SQLite's fallback to
-- a string). Nothing runs after the first error; the rest are still judged.
SELECT 1 AS one,
       nope AS two;
SELECT TIMESTAMP '2026-13-01' AS bad_month;
SELECT INTERVAL 'soon' AS bad_interval;
SELECT "not_a_column" AS quoted;
