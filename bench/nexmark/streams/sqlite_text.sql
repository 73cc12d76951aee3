-- The word count oracle's table (sqlite3 CLI): ${DIR}/words.txt, one row a
-- line, as streams/text.sql reads it. ASCII mode with the unit separator
-- (\037) between fields, so tabs, commas and quotes stay in the line.
CREATE TABLE lines (line TEXT);
.mode ascii
.separator "\037" "\n"
.import ${DIR}/words.txt lines
