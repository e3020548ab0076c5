import type { DuckDBConnection } from '@duckdb/node-api';
import { afterTransaction, inTransaction, queryOn, runOn, warehouseOf, type Warehouse } from './db.ts';

/**
 * What this process knows about a warehouse's data version, so readers need not query it
 * per request. Only this process writes the file (DuckDB's lock), and every write of the
 * version goes through `bumpDataVersion`, which counts itself here: `pending` while a bump is
 * not yet committed or rolled back, `epoch` moved once it is. A version read is reused only
 * while no bump is pending and the epoch has not moved since the read started.
 */
interface VersionTracker {
  pending: number;
  epoch: number;
  read: { epoch: number; anyEpoch: number; version: Promise<number> } | undefined;
}

const trackers = new WeakMap<Warehouse, VersionTracker>();
/** Bumps on connections not made by `Warehouse.connect` (the owner is unknown): they invalidate every warehouse. */
const anyWarehouse: VersionTracker = { pending: 0, epoch: 0, read: undefined };

function trackerOf(wh: Warehouse): VersionTracker {
  let t = trackers.get(wh);
  if (!t) trackers.set(wh, (t = { pending: 0, epoch: 0, read: undefined }));
  return t;
}

/** The statement that bumps the data version, (`bumpDataVersion`, `withBumpInFlight`). */
export const BUMP_DATA_VERSION_SQL = 'insert into ops.data_version_log (bumps) values (1)';

/**
 * Increments the data version (the API's ETag source); call inside the transaction that
 * changed data (`inTransaction` / `wh.transaction`), so the new version becomes visible
 * together with the data, or on its own (autocommit). Never inside a BEGIN issued by hand:
 * the process would count the bump as committed before it is, and could keep the old
 * version until the next bump (a caller that sends its own BEGIN and COMMIT uses
 * `withBumpInFlight` instead). It appends a row rather than updating one: two transactions
 * updating the same row at once make DuckDB fail one of them ("Conflict on update"),
 * appends never conflict.
 */
export async function bumpDataVersion(conn: DuckDBConnection): Promise<void> {
  const wh = warehouseOf(conn);
  const t = wh ? trackerOf(wh) : anyWarehouse;
  t.pending++;
  const settle = () => {
    t.pending--;
    t.epoch++;
  };
  if (afterTransaction(conn, settle)) {
    // Settled when the transaction commits or rolls back (also when this insert fails).
    await runOn(conn, BUMP_DATA_VERSION_SQL);
    return;
  }
  try {
    await runOn(conn, BUMP_DATA_VERSION_SQL);
  } finally {
    settle();
  }
}

/**
 * For a caller that sends `BUMP_DATA_VERSION_SQL` and its own `commit` in one round trip of
 * several statements (the webhook receiver): counts the bump as pending while `send` runs and
 * as settled once it has returned or thrown. `send` must have committed or rolled back the
 * transaction by then (on an error: roll back before rethrowing).
 */
export async function withBumpInFlight<T>(conn: DuckDBConnection, send: () => Promise<T>): Promise<T> {
  const wh = warehouseOf(conn);
  const t = wh ? trackerOf(wh) : anyWarehouse;
  t.pending++;
  try {
    return await send();
  } finally {
    t.pending--;
    t.epoch++;
  }
}

/**
 * The current data version of a warehouse of this process, read from the database only
 * when a bump may have happened since the last read (API requests call this per request).
 */
export function currentDataVersion(wh: Warehouse): Promise<number> {
  const t = trackerOf(wh);
  if (t.pending > 0 || anyWarehouse.pending > 0) return wh.withConnection(readDataVersion);
  const read = t.read;
  if (read && read.epoch === t.epoch && read.anyEpoch === anyWarehouse.epoch) return read.version;
  const fresh = { epoch: t.epoch, anyEpoch: anyWarehouse.epoch, version: wh.withConnection(readDataVersion) };
  t.read = fresh;
  fresh.version.catch(() => {
    if (t.read === fresh) t.read = undefined;
  });
  return fresh.version;
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
