import type { DuckDBConnection } from '@duckdb/node-api';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';
import type { Warehouse } from './db.ts';
import { bindable, toPlain, type SqlParam } from './values.ts';

/**
 * A small Kysely dialect over @duckdb/node-api (STACK.md: kysely-duckdb 0.4 drops one-row
 * `count` results, throws on Dates and opens a connection per query). DuckDB speaks enough
 * PostgreSQL for Kysely's Postgres compiler: `$1` parameters, double-quoted identifiers.
 */
export class DuckDBDialect implements Dialect {
  constructor(private readonly wh: Warehouse) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new DuckDBDriver(this.wh);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}

class DuckDBDriver implements Driver {
  constructor(private readonly wh: Warehouse) {}
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return new DuckDBKyselyConnection(await this.wh.connect());
  }
  async beginTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('begin transaction'));
  }
  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  }
  async releaseConnection(conn: DatabaseConnection): Promise<void> {
    (conn as DuckDBKyselyConnection).close();
  }
  async destroy(): Promise<void> {}
}

class DuckDBKyselyConnection implements DatabaseConnection {
  constructor(private readonly conn: DuckDBConnection) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const params = bindable(compiled.parameters as SqlParam[]);
    const reader = await this.conn.runAndReadAll(compiled.sql, params.length ? params : undefined);
    const rows = reader.getRowObjectsJS().map((r) => toPlain(r) as R);
    const changed = reader.rowsChanged;
    return { rows, numAffectedRows: changed > 0 ? BigInt(changed) : undefined };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming is not supported by the Parley DuckDB dialect; use the SQL sandbox for large results.');
  }

  close(): void {
    this.conn.closeSync();
  }
}
