-- The DuckDB baseline's input (bench/nexmark/run.sh): the same bid CSV file
-- streams/csv.sql reads, as a view, so each query reads and parses the file
-- once as Sluice does. Placeholder, filled by the runner: ${DIR}.
CREATE VIEW bid AS SELECT * FROM read_csv('${DIR}/bid.csv', header = false, columns = {
  'auction': 'BIGINT', 'bidder': 'BIGINT', 'price': 'BIGINT', 'channel': 'VARCHAR',
  'url': 'VARCHAR', 'date_time': 'TIMESTAMP', 'extra': 'VARCHAR'});
