-- NetworkWordCount: count the words arriving on a TCP socket, batch after batch.
-- Feed it with any server on port 9999, e.g. `nc -lk 9999`, or run `make demo`.
-- Read the live results from another shell:
--   sqlite3 sluice.db 'SELECT word, n FROM word_counts ORDER BY n DESC LIMIT 10'

CREATE STREAM lines (line TEXT) FROM SOCKET 'localhost:9999' FORMAT TEXT;

CREATE QUERY word_counts AS
  SELECT word, COUNT(*) AS n
  FROM lines, UNNEST(split(line, ' ')) AS word
  WHERE word <> ''
  GROUP BY word;
