-- mode: check
CREATE STREAM lines (line TEXT) FROM SOCKET 'localhost:9999' FORMAT TEXT;
CREATE QUERY word_counts AS
  SELECT word, COUNT(*) AS n
  FORM lines, UNNEST(split(line, ' ')) AS word
  GROUP BY word;
