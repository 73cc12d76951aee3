// The DuckDB baseline of bench/nexmark/run.sh: runs the statements of one SQL
// file (a query from bench/nexmark/duckdb/, its ${DIR} already replaced) in a
// fresh DuckDB database file with the given number of threads, and prints the
// seconds the statements took (without node's and the library's start-up)
// and the rows of the table named last, so the runner can check it.
//   node duckdb_run.mjs THREADS DATABASE SQLFILE
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [threads, database, sqlFile] = process.argv.slice(2);
if (!sqlFile) {
  console.error('usage: node duckdb_run.mjs THREADS DATABASE SQLFILE');
  process.exit(2);
}
const instance = await DuckDBInstance.create(database);
const connection = await instance.connect();
await connection.run(`SET threads = ${Number(threads)}`);
// DuckDB takes a file of several statements as one script.
const script = readFileSync(sqlFile, 'utf8');
const start = process.hrtime.bigint();
await connection.run(script);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const table = [...script.matchAll(/CREATE\s+TABLE\s+(\w+)/gi)].pop()?.[1];
let rows = '';
if (table) {
  const reader = await connection.runAndReadAll(`SELECT count(*) FROM ${table}`);
  rows = String(reader.getRows()[0][0]);
}
console.log(`${seconds.toFixed(3)} ${rows}`);
connection.closeSync();
instance.closeSync();
