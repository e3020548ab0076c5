import type { DuckDBConnection } from '@duckdb/node-api';
import { queryOn, runOn } from './db.ts';

/** Increments the data version (the API's ETag source); call inside the transaction that changed data. */
export async function bumpDataVersion(conn: DuckDBConnection): Promise<void> {
  await runOn(conn, `update ops.state set value = (cast(value as bigint) + 1)::varchar, updated_at = now() where key = 'data_version'`);
}

/** The current data version: it changes whenever a load or build commits. */
export async function readDataVersion(conn: DuckDBConnection): Promise<number> {
  const rows = await queryOn<{ value: string }>(conn, `select value from ops.state where key = 'data_version'`);
  return Number(rows[0]?.value ?? 0);
}
