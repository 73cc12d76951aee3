-- mode: check
-- `sluice check` judges a SELECT over nothing as `run` does: SELECT 1 is
-- fine, and a bad literal or SQLite's own error in one is the same error.
SELECT 1;
SELECT 1 AS one,
       nope;
SELECT split_part('a b', ' ', 2), TIMESTAMP '2026-01-01' + INTERVAL '1' HOUR;
SELECT INTERVAL '5 fortnights';
