-- SQLite oracle for the word count, over a table lines(line TEXT) holding the
-- text file's lines: each line cut at single spaces by a recursive CTE,
-- empty words dropped.
WITH RECURSIVE words(word, rest) AS (
       SELECT NULL, line || ' ' FROM lines
       UNION ALL
       SELECT substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
       FROM words WHERE rest <> '')
SELECT word, COUNT(*) AS n FROM words WHERE word <> '' GROUP BY word ORDER BY word;
