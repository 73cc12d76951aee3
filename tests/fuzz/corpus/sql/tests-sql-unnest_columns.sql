-- UNNEST keeps each row's stream columns beside the element; the WHERE may
-- read a column the select list does not.
CREATE STREAM sales (city TEXT, items TEXT) FROM FILE 'data/items.csv' FORMAT CSV (header = true);
CREATE QUERY per_item AS
  SELECT city, item, length(items) AS list_len
  FROM sales, UNNEST(split(items, ';')) AS item
  WHERE city <> 'skip' AND item <> '';
CREATE QUERY by_item AS
  SELECT item, COUNT(*) AS n FROM sales, UNNEST(split(items, ';')) AS item
  WHERE length(city) > 3 GROUP BY item;
-- expect: SELECT * FROM per_item ORDER BY rowid
-- expect: SELECT * FROM by_item ORDER BY item
