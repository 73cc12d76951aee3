-- Word count over a file: empty lines, double spaces, \r\n, UTF-8 words and
-- a last line without a newline.
CREATE STREAM lines (line TEXT) FROM FILE 'data/words.txt' FORMAT TEXT;
CREATE QUERY word_counts AS
  SELECT word, COUNT(*) AS n
  FROM lines, UNNEST(split(line, ' ')) AS word
  WHERE word <> ''
  GROUP BY word;
-- expect: SELECT word, n FROM word_counts ORDER BY n DESC, word
-- expect: SELECT query, batch_id, rows_in, rows_out FROM _sluice_progress
