-- A query without aggregation appends its rows: filter, functions, arithmetic.
CREATE STREAM lines (line TEXT) FROM FILE 'data/words.txt' FORMAT TEXT;
CREATE QUERY long_words AS
  SELECT upper(word) AS shout, lower(word) AS quiet, length(word) AS len,
         length(word) * 10 / 4 AS scaled, word || '!' AS bang
  FROM lines, UNNEST(split(line, ' ')) AS word
  WHERE length(word) > 4 AND NOT word = 'sleeps';
-- expect: SELECT * FROM long_words ORDER BY rowid
