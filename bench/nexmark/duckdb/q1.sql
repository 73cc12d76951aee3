-- q1 in DuckDB (bench/nexmark/q1.sql): the price as a DOUBLE, as Sluice's REAL.
CREATE TABLE q1 AS SELECT auction, bidder, 0.908 * price::DOUBLE AS price, date_time, extra FROM bid;
