-- REAL follows SQLite's numeric literals: 1e999 is Inf (SQLite reads it so),
-- while inf, nan and hex floats, which SQLite does not take for numbers, are
-- dead letters. A quote never closed takes the rest of the input into one
-- field: its dead letter says the quote is unterminated, not that the
-- record has the wrong number of fields.
CREATE STREAM r (k TEXT, v REAL) FROM FILE 'data/reals_quotes.csv' FORMAT CSV;
CREATE QUERY q AS SELECT k, v FROM r;
-- expect: SELECT k, v FROM q ORDER BY k
-- expect: SELECT "offset", replace(record, char(10), '\n'), error FROM _sluice_dead_letters ORDER BY "offset"
