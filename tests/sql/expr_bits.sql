-- The bitwise operators & | << >> and unary ~, checked against SQLite (the
-- oracle) row by row with quote(): operands read as CAST(x AS INTEGER) reads
-- them ('12abc' is 12, a REAL truncated and clamped), NULL gives NULL, shifts
-- by a negative amount go the other way and by 64 or more give 0 or -1; their
-- precedence (between + - and the comparisons; ~ with unary minus); and the
-- literal -9223372036854775808, which is an INTEGER as in SQLite.
CREATE STREAM vals (id INTEGER, i INTEGER, n INTEGER, r REAL, t TEXT)
  FROM FILE 'data/bits_values.csv' FORMAT CSV (header = true, null = 'NA');
CREATE QUERY bits AS
  SELECT id,
         i & 12 AS e0,
         i | 3 AS e1,
         ~i AS e2,
         i << n AS e3,
         i >> n AS e4,
         i << -n AS e5,
         i >> -n AS e6,
         1 << n AS e7,
         -1 >> n AS e8,
         t & 255 AS e9,
         ~t AS e10,
         t | 0 AS e11,
         r | 0 AS e12,
         ~r AS e13,
         r & i AS e14,
         n << 1.9 AS e15,
         i >> '2x' AS e16,
         NULL & i AS e17,
         ~NULL AS e18,
         i & NULL AS e19,
         i << 1 + 1 AS e20,
         1 + 2 & 3 AS e21,
         i & 1 = 1 AS e22,
         5 < i & 6 AS e23,
         t || '1' & 7 AS e24,
         ~ - i AS e25,
         - ~i AS e26,
         ~i & i | n AS e27,
         i << 2 * n AS e28,
         NOT i & 1 AS e29,
         i & 1 BETWEEN 0 AND 0 AS e30,
         i | 1 IN (1, 3) AS e31,
         -9223372036854775808 AS e32,
         - 9223372036854775808 AS e33,
         -(9223372036854775808) AS e34,
         9223372036854775808 AS e35,
         -9223372036854775809 AS e36,
         - -9223372036854775808 AS e37,
         typeof(~i) AS e38,
         typeof(t & 1) AS e39
  FROM vals;
-- load: oracle(id INTEGER, i INTEGER, n INTEGER, r REAL, t TEXT) data/bits_values.csv null=NA
-- expect: SELECT count(*) AS sluice_not_sqlite FROM (SELECT id, quote(e0), quote(e1), quote(e2), quote(e3), quote(e4), quote(e5), quote(e6), quote(e7), quote(e8), quote(e9), quote(e10), quote(e11), quote(e12), quote(e13), quote(e14), quote(e15), quote(e16), quote(e17), quote(e18), quote(e19), quote(e20), quote(e21), quote(e22), quote(e23), quote(e24), quote(e25), quote(e26), quote(e27), quote(e28), quote(e29), quote(e30), quote(e31), quote(e32), quote(e33), quote(e34), quote(e35), quote(e36), quote(e37), quote(e38), quote(e39) FROM bits EXCEPT SELECT id, quote(i & 12), quote(i | 3), quote(~i), quote(i << n), quote(i >> n), quote(i << -n), quote(i >> -n), quote(1 << n), quote(-1 >> n), quote(t & 255), quote(~t), quote(t | 0), quote(r | 0), quote(~r), quote(r & i), quote(n << 1.9), quote(i >> '2x'), quote(NULL & i), quote(~NULL), quote(i & NULL), quote(i << 1 + 1), quote(1 + 2 & 3), quote(i & 1 = 1), quote(5 < i & 6), quote(t || '1' & 7), quote(~ - i), quote(- ~i), quote(~i & i | n), quote(i << 2 * n), quote(NOT i & 1), quote(i & 1 BETWEEN 0 AND 0), quote(i | 1 IN (1, 3)), quote(-9223372036854775808), quote(- 9223372036854775808), quote(-(9223372036854775808)), quote(9223372036854775808), quote(-9223372036854775809), quote(- -9223372036854775808), quote(typeof(~i)), quote(typeof(t & 1)) FROM oracle)
-- expect: SELECT count(*) AS sqlite_not_sluice FROM (SELECT id, quote(i & 12), quote(i | 3), quote(~i), quote(i << n), quote(i >> n), quote(i << -n), quote(i >> -n), quote(1 << n), quote(-1 >> n), quote(t & 255), quote(~t), quote(t | 0), quote(r | 0), quote(~r), quote(r & i), quote(n << 1.9), quote(i >> '2x'), quote(NULL & i), quote(~NULL), quote(i & NULL), quote(i << 1 + 1), quote(1 + 2 & 3), quote(i & 1 = 1), quote(5 < i & 6), quote(t || '1' & 7), quote(~ - i), quote(- ~i), quote(~i & i | n), quote(i << 2 * n), quote(NOT i & 1), quote(i & 1 BETWEEN 0 AND 0), quote(i | 1 IN (1, 3)), quote(-9223372036854775808), quote(- 9223372036854775808), quote(-(9223372036854775808)), quote(9223372036854775808), quote(-9223372036854775809), quote(- -9223372036854775808), quote(typeof(~i)), quote(typeof(t & 1)) FROM oracle EXCEPT SELECT id, quote(e0), quote(e1), quote(e2), quote(e3), quote(e4), quote(e5), quote(e6), quote(e7), quote(e8), quote(e9), quote(e10), quote(e11), quote(e12), quote(e13), quote(e14), quote(e15), quote(e16), quote(e17), quote(e18), quote(e19), quote(e20), quote(e21), quote(e22), quote(e23), quote(e24), quote(e25), quote(e26), quote(e27), quote(e28), quote(e29), quote(e30), quote(e31), quote(e32), quote(e33), quote(e34), quote(e35), quote(e36), quote(e37), quote(e38), quote(e39) FROM bits)
-- expect: SELECT count(*) FROM bits
-- expect: SELECT id, quote(e0), quote(e1), quote(e2), quote(e3), quote(e4), quote(e5), quote(e6), quote(e7), quote(e8), quote(e9), quote(e10), quote(e11), quote(e12), quote(e13), quote(e14), quote(e15), quote(e16), quote(e17), quote(e18), quote(e19), quote(e20), quote(e21), quote(e22), quote(e23), quote(e24), quote(e25), quote(e26), quote(e27), quote(e28), quote(e29), quote(e30), quote(e31), quote(e32), quote(e33), quote(e34), quote(e35), quote(e36), quote(e37), quote(e38), quote(e39) FROM bits ORDER BY id
