-- q0 in DuckDB (bench/nexmark/q0.sql): every bid into a table.
CREATE TABLE q0 AS SELECT auction, bidder, price, date_time, extra FROM bid;
