-- SQLite oracle for q8 (over streams/sqlite.sql's tables): Flink's query: the
-- persons who, in the 10-second tumbling window they joined in, also opened
-- an auction as its seller; a row a person and window, with the window's start
-- and end (windows from multiples of 10 s since the Unix epoch, written as
-- Sluice writes a TIMESTAMP).
WITH p AS (SELECT id, name, unixepoch(substr(date_time, 1, 19)) / 10 AS w FROM person),
     a AS (SELECT DISTINCT seller, unixepoch(substr(date_time, 1, 19)) / 10 AS w FROM auction)
SELECT p.id, p.name,
       strftime('%Y-%m-%d %H:%M:%S', p.w * 10, 'unixepoch') || '.000000' AS starttime,
       strftime('%Y-%m-%d %H:%M:%S', p.w * 10 + 10, 'unixepoch') || '.000000' AS endtime
FROM p JOIN a ON p.id = a.seller AND p.w = a.w
ORDER BY starttime, p.id;
