CREATE STREAM s (a INTEGER, b REAL, c TEXT, d BOOLEAN, e TIMESTAMP) FROM STDIN FORMAT CSV (header = true, delimiter = ';', null = '', x = -1.5e308, y = 9223372036854775808);
SELECT 9223372036854775807 + 1, -9223372036854775808 / -1, 1e999, 0.0 / 0, 5 % 0, 'it''s' || NULL, a = NULL, CASE WHEN a THEN b END, length(c), split(c, ''), lower(e), upper(d) FROM s WHERE NOT d OR e > '2024-01-01';
