-- SQLite oracle for q22 (over streams/sqlite.sql's tables). SQLite has no
-- split function: each URL is cut at '/' by a recursive CTE (field n counted
-- from 1), and fields 4, 5, 6 are picked, '' where the URL has fewer.
WITH RECURSIVE fields(id, n, field, rest) AS (
       SELECT rowid, 0, NULL, url || '/' FROM bid
       UNION ALL
       SELECT id, n + 1, substr(rest, 1, instr(rest, '/') - 1), substr(rest, instr(rest, '/') + 1)
       FROM fields WHERE rest <> '' AND n < 6),
     dirs AS (SELECT id, coalesce(MAX(field) FILTER (WHERE n = 4), '') AS dir1,
                     coalesce(MAX(field) FILTER (WHERE n = 5), '') AS dir2,
                     coalesce(MAX(field) FILTER (WHERE n = 6), '') AS dir3
              FROM fields GROUP BY id)
SELECT auction, bidder, price, channel, dir1, dir2, dir3
FROM bid JOIN dirs ON dirs.id = bid.rowid
ORDER BY auction, bidder, price, channel, dir1, dir2, dir3;
