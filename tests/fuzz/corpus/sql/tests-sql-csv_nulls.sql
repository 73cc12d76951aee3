-- PostgreSQL's CSV rule: an empty unquoted field is NULL, a quoted "" is the
-- empty string. NULL is a group key like any other: one row for it.
CREATE STREAM sales (city TEXT, amount INTEGER)
  FROM FILE 'data/nulls.csv' FORMAT CSV (header = true);
CREATE QUERY by_city AS
  SELECT city, COUNT(*) AS n, COUNT(amount) AS with_amount, SUM(amount) AS total
  FROM sales GROUP BY city TRIGGER EVERY 10 MILLISECONDS;
-- expect: SELECT quote(city), n, with_amount, quote(total) FROM by_city ORDER BY city
