-- The word count's stream: a text file, one row a line. Placeholder, filled by
-- the runner: ${DIR} (the file is ${DIR}/words.txt).
CREATE STREAM lines (line TEXT) FROM FILE '${DIR}/words.txt' FORMAT TEXT;
