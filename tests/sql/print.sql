-- stdout
-- PRINT stream [LIMIT n]: the stream's rows as they arrive, every column;
-- LIMIT stops it after n rows, and without one it ends with a bounded input.
CREATE STREAM words (word TEXT) FROM FILE 'data/words.txt' FORMAT TEXT;
CREATE STREAM items (city TEXT, items TEXT) FROM FILE 'data/items.csv' FORMAT CSV (header = true);
PRINT words LIMIT 2;
PRINT items;
