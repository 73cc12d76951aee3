-- Errors in a SELECT handed to SQLite: SQLite's own put the caret where
-- sqlite3_error_offset says (line 2, not the statement's start); an
-- invalid TIMESTAMP or INTERVAL literal is Sluice's, as in a CREATE QUERY.
-- Nothing runs after the first error.
SELECT 1 AS one,
       nope AS two;
SELECT TIMESTAMP '2026-13-01' AS bad_month;
SELECT INTERVAL 'soon' AS bad_interval;
