import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBResultReader } from '@duckdb/node-api';
import type { Config } from '../config/config.ts';
import { WarehouseError } from './errors.ts';
import { KeyedLock } from './keyed-lock.ts';
import { migrate, type MigrationResult } from './migrator.ts';
import { registerSqlFunctions, sqlFunctionsFor } from './sql-functions.ts';
import { bindable, literal, toPlain, type SqlParam } from './values.ts';

/** A row read from DuckDB as plain JS. */
export type Row = Record<string, unknown>;

/**
 * Memory DuckDB's buffer manager may use; past it, operators spill to the temp folder. The
 * process's peak is this plus what a big operator goes over it, Node (about 0.1-0.3 GB) and the
 * allocator's slack (docs/builds.md, "Memory"). Lower does not work at scale M: at 1344 MB and
 * at 1152 MB `marts.agg_churn_weekly` ran out of memory inside the full build's transaction.
 */
const MEMORY_LIMIT = '1536MB';

/** Options for opening the warehouse. */
export interface OpenOptions {
  /** Extra folders DuckDB may read and write besides landing and data (e.g. a Parquet export target). */
  readonly extraDirs?: readonly string[];
  /** Run pending migrations (default true). */
  readonly migrate?: boolean;
}

/**
 * The one DuckDB instance of a warehouse file in this process. Only this module opens
 * DuckDB: a second instance on the same file silently loses data (STACK.md), so
 * `openWarehouse` hands out the same object for the same path.
 */
export class Warehouse {
  /** Serialises work per key in this process: `build`, `source:<name>`. */
  readonly locks = new KeyedLock();
  private closed = false;

  constructor(
    readonly config: Config,
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly migrations: readonly MigrationResult[],
  ) {}

  /** A new connection; the caller must close it (prefer `withConnection`). */
  async connect(): Promise<DuckDBConnection> {
    if (this.closed) throw new WarehouseError('WH_OPEN_FAILED', 'The warehouse was closed; open it again.');
    const conn = await this.instance.connect();
    owners.set(conn, this);
    return conn;
  }

  /** Runs `fn` with a connection of its own, closed afterwards. */
  async withConnection<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const conn = await this.connect();
    try {
      return await fn(conn);
    } finally {
      conn.closeSync();
    }
  }

  /** Runs one query and returns its rows as plain JS objects. */
  async query<T = Row>(sql: string, params: readonly (SqlParam | undefined)[] = []): Promise<T[]> {
    return this.withConnection((conn) => queryOn<T>(conn, sql, params));
  }

  /** Runs SQL (one or more statements) for its effect. */
  async run(sql: string, params: readonly (SqlParam | undefined)[] = []): Promise<void> {
    await this.withConnection((conn) => runOn(conn, sql, params));
  }

  /** Runs `fn` in one transaction on its own connection: committed when it returns, rolled back when it throws. */
  async transaction<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.withConnection((conn) => inTransaction(conn, fn));
  }

  /** Closes the instance (checkpointing the WAL) and forgets it, so a later open starts fresh. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    instances.delete(this.path);
    try {
      const conn = await this.instance.connect();
      try {
        await conn.run('checkpoint');
      } finally {
        conn.closeSync();
      }
    } catch {
      // A checkpoint that cannot run now runs from the WAL at the next open.
    }
    this.instance.closeSync();
  }
}

/** The warehouse each connection handed out by `Warehouse.connect` belongs to. */
const owners = new WeakMap<DuckDBConnection, Warehouse>();

/** The warehouse a connection came from (undefined for one not made by `Warehouse.connect`). */
export function warehouseOf(conn: DuckDBConnection): Warehouse | undefined {
  return owners.get(conn);
}

/** Callbacks to run when the `inTransaction` open on a connection ends (commit or rollback). */
const transactionEnds = new WeakMap<DuckDBConnection, (() => void)[]>();

/**
 * Runs `fn` once the `inTransaction` open on `conn` has committed or rolled back. Returns
 * false (and does not keep `fn`) when `conn` is not inside `inTransaction`.
 */
export function afterTransaction(conn: DuckDBConnection, fn: () => void): boolean {
  const ends = transactionEnds.get(conn);
  if (!ends) return false;
  ends.push(fn);
  return true;
}

/** Runs a query on a connection and returns plain rows. */
export async function queryOn<T = Row>(conn: DuckDBConnection, sql: string, params: readonly (SqlParam | undefined)[] = []): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql, params.length ? bindable(params) : undefined);
  return plainRows<T>(reader);
}

/**
 * A read result's rows as plain objects: what `getRowObjectsJS().map(toPlain)` gives (the
 * same deduplicated column names, values and key order), converted column by column, which
 * takes about half the time for answers of thousands of rows (the 11,251-row churn
 * answer of the MID bench: 11-22 ms instead of 25-41 ms).
 */
export function plainRows<T = Row>(reader: DuckDBResultReader): T[] {
  const names = reader.deduplicatedColumnNames();
  const columns = reader.getColumnsJS();
  const rows = new Array<T>(reader.currentRowCount);
  for (let i = 0; i < rows.length; i++) {
    const row: Row = {};
    for (let c = 0; c < names.length; c++) row[names[c]!] = toPlain(columns[c]![i]);
    rows[i] = row as T;
  }
  return rows;
}

/** Runs SQL on a connection for its effect. */
export async function runOn(conn: DuckDBConnection, sql: string, params: readonly (SqlParam | undefined)[] = []): Promise<void> {
  await conn.run(sql, params.length ? bindable(params) : undefined);
}

/**
 * Rolls back the transaction open on `conn` after a failure, if there still is one (a failed
 * statement or commit may have ended it already): the original error is what matters.
 */
export async function rollbackQuietly(conn: DuckDBConnection): Promise<void> {
  try {
    await conn.run('rollback');
  } catch {
    // No transaction left to roll back.
  }
}

/** Runs `fn` inside BEGIN/COMMIT on `conn`, rolling back if it throws. */
export async function inTransaction<T>(conn: DuckDBConnection, fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  await conn.run('begin transaction');
  const ends: (() => void)[] = [];
  transactionEnds.set(conn, ends);
  try {
    const result = await fn(conn);
    await conn.run('commit');
    return result;
  } catch (err) {
    await rollbackQuietly(conn);
    throw err;
  } finally {
    transactionEnds.delete(conn);
    for (const end of ends) end();
  }
}

const instances = new Map<string, Promise<Warehouse>>();

/**
 * Opens (or returns the already open) warehouse for `config.dbPath`: creates the folder,
 * locks the instance down (allowed folders, no extension downloads, no other file access,
 * configuration locked) and applies pending migrations.
 */
export function openWarehouse(config: Config, opts: OpenOptions = {}): Promise<Warehouse> {
  const key = config.dbPath === ':memory:' ? `:memory:${Math.random()}` : path.resolve(config.dbPath);
  const existing = instances.get(key);
  if (existing) return existing;
  const opening = openFresh(config, key, opts);
  instances.set(key, opening);
  opening.catch(() => instances.delete(key));
  return opening;
}

async function openFresh(config: Config, key: string, opts: OpenOptions): Promise<Warehouse> {
  const inMemory = config.dbPath === ':memory:';
  const tempDir = path.join(inMemory ? config.dataDir : path.dirname(key), '.parley-tmp');
  try {
    if (!inMemory) fs.mkdirSync(path.dirname(key), { recursive: true });
    fs.mkdirSync(tempDir, { recursive: true });
  } catch (err) {
    throw new WarehouseError('WH_OPEN_FAILED', `Cannot create the data folder for ${config.dbPath}: ${(err as Error).message}. Set PARLEY_DB to a writable path.`, { cause: err });
  }

  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(inMemory ? ':memory:' : key, { threads: '2', memory_limit: MEMORY_LIMIT });
  } catch (err) {
    throw openError(config.dbPath, err);
  }

  const allowed = [config.landingDir, config.dataDir, tempDir, ...(opts.extraDirs ?? [])].map((d) => path.resolve(d) + path.sep);
  const conn = await instance.connect();
  try {
    // Order matters (STACK.md): folders first, then extensions off, then external access off, then lock.
    await conn.run(`set allowed_directories = [${allowed.map(literal).join(', ')}]`);
    await conn.run(`set temp_directory = ${literal(tempDir)}`);
    await conn.run('set autoinstall_known_extensions = false');
    await conn.run('set autoload_known_extensions = false');
    await conn.run(`set global TimeZone = ${literal(config.tz)}`);
    // libduckdb's own jemalloc keeps the pages a statement freed in the arena of the thread that
    // freed them until they decay, and without a background thread an arena decays only while its
    // thread allocates: pages freed on an idle worker stayed resident, counted by no limit (the M
    // full build: up to 2.6 GB with a 1.5 GB limit). The background thread purges them as they
    // decay (docs/builds.md, "Memory").
    await conn.run('set global allocator_background_threads = true');
    await conn.run('set enable_external_access = false');
    await conn.run('set lock_configuration = true');
    registerSqlFunctions(conn, sqlFunctionsFor(config));
  } catch (err) {
    conn.closeSync();
    instance.closeSync();
    throw new WarehouseError('WH_OPEN_FAILED', `Cannot lock down the warehouse: ${(err as Error).message}`, { cause: err });
  } finally {
    conn.closeSync();
  }

  let migrations: MigrationResult[] = [];
  if (opts.migrate !== false) {
    const outcome = await migrate(instance);
    migrations = outcome.results;
    if (outcome.error) {
      instance.closeSync();
      throw outcome.error;
    }
  }
  return new Warehouse(config, key, instance, migrations);
}

function openError(dbPath: string, err: unknown): WarehouseError {
  const msg = (err as Error).message ?? String(err);
  if (/Could not set lock|Conflicting lock/i.test(msg)) {
    return new WarehouseError('WH_LOCKED', `${dbPath} is in use by another process (is \`parley serve\` running? Stop it, or let the CLI talk to it).`, { cause: err });
  }
  if (/not a valid DuckDB database|Unable to read|corrupt|checksum/i.test(msg)) {
    return new WarehouseError('WH_CORRUPT', `${dbPath} is not a readable DuckDB warehouse (${msg.split('\n')[0]}). Move it aside and run \`parley run\` to rebuild from the landing folder.`, { cause: err });
  }
  return new WarehouseError('WH_OPEN_FAILED', `Cannot open ${dbPath}: ${msg.split('\n')[0]}`, { cause: err });
}

/** Closes every warehouse this process opened (for shutdown and test teardown). */
export async function closeAllWarehouses(): Promise<void> {
  const all = [...instances.values()];
  await Promise.all(all.map(async (p) => (await p.catch(() => undefined))?.close()));
}
