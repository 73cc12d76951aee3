-- mode: check
-- An UNNEST alias that repeats a stream column's name makes the bare name
-- ambiguous; the stream's column stays reachable through its qualifier.
CREATE STREAM lines (line TEXT) FROM FILE 'data/words.txt' FORMAT TEXT;
CREATE QUERY q1 AS SELECT line FROM lines, UNNEST(split(line, ' ')) AS line;
CREATE QUERY q2 AS SELECT lines.line FROM lines, UNNEST(split(line, ' ')) AS line;
