// Runs one SQL query with DuckDB and prints the rows as JSON (used by bench/run.mjs as a peer).
// Usage: node bench/duck-query.mjs "<sql>"
import { DuckDBInstance } from '@duckdb/node-api';

const db = await DuckDBInstance.create(':memory:');
const conn = await db.connect();
const reader = await conn.runAndReadAll(process.argv[2]);
process.stdout.write(JSON.stringify(reader.getRowObjectsJson()) + '\n');
