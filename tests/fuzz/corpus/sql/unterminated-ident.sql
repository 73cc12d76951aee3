SELECT "unterminated FROM s;
-- a line comment without newline