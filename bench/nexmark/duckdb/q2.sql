-- q2 in DuckDB (bench/nexmark/q2.sql).
CREATE TABLE q2 AS SELECT auction, price FROM bid WHERE auction % 123 = 0;
