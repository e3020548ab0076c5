import type { DuckDBConnection } from '@duckdb/node-api';
import { inTransaction, queryOn, runOn } from './db.ts';

/**
 * Increments the data version (the API's ETag source); call inside the transaction that
 * changed data, so the new version becomes visible together with the data. It appends a row
 * rather than updating one: two transactions updating the same row at once make DuckDB fail
 * one of them ("Conflict on update"), appends never conflict.
 */
export async function bumpDataVersion(conn: DuckDBConnection): Promise<void> {
  await runOn(conn, 'insert into ops.data_version_log (bumps) values (1)');
}

/** The current data version: it changes whenever a load or build commits. */
export async function readDataVersion(conn: DuckDBConnection): Promise<number> {
  const rows = await queryOn<{ version: number | null }>(conn, 'select sum(bumps)::bigint as version from ops.data_version_log');
  return Number(rows[0]?.version ?? 0);
}

/**
 * Folds the log into one row carrying the same sum, so reading the version stays cheap.
 * Rows appended by transactions still open are not visible here and stay untouched. Run it
 * from one place at a time (the server does, every few minutes).
 */
export async function compactDataVersionLog(conn: DuckDBConnection, keepRows = 100): Promise<boolean> {
  const [{ n }] = (await queryOn<{ n: number }>(conn, 'select count(*) as n from ops.data_version_log')) as [{ n: number }];
  if (n <= keepRows) return false;
  await inTransaction(conn, async () => {
    await runOn(conn, `create temp table __dv as select sum(bumps)::bigint as bumps, max(logged_at) as logged_at from ops.data_version_log`);
    await runOn(conn, 'delete from ops.data_version_log');
    await runOn(conn, 'insert into ops.data_version_log select bumps, logged_at from __dv');
    await runOn(conn, 'drop table __dv');
  });
  return true;
}
