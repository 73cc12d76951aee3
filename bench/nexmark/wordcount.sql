-- Word count: not a Nexmark query; the classic streaming example (Spark's
-- structured_network_wordcount, Flink's WordCount), over the text stream
-- `lines` of streams/text.sql. Words are cut at single spaces; empty words
-- (two spaces in a row) are not counted.
CREATE QUERY wordcount AS
  SELECT word, COUNT(*) AS n
  FROM lines, UNNEST(split(line, ' ')) AS word
  WHERE word <> ''
  GROUP BY word;
