import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { queryOn } from './db.ts';

/** A value the appender writes; strings go into timestamp and JSON columns as text (fastest, STACK.md). */
export type AppendValue = string | number | bigint | boolean | Date | null | undefined;

type Put = (a: DuckDBAppender, v: Exclude<AppendValue, null | undefined>) => void;

/** Chooses how to append a JS value into a column of DuckDB type `type`. */
function putterFor(type: string): Put {
  const t = type.toUpperCase();
  if (t === 'BIGINT') return (a, v) => a.appendBigInt(typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v))));
  if (t === 'INTEGER') return (a, v) => a.appendInteger(Number(v));
  if (t === 'SMALLINT') return (a, v) => a.appendSmallInt(Number(v));
  if (t === 'DOUBLE' || t === 'FLOAT' || t.startsWith('DECIMAL')) return (a, v) => a.appendDouble(Number(v));
  if (t === 'BOOLEAN') return (a, v) => a.appendBoolean(v === true || v === 'true' || v === 1);
  // VARCHAR, JSON, TIMESTAMP*, DATE and the rest take text and cast on append.
  return (a, v) => a.appendVarchar(v instanceof Date ? v.toISOString() : String(v));
}

/** The DuckDB types of `schema.table`'s columns, in order (what `appendRows` needs). */
export async function columnTypes(conn: DuckDBConnection, schema: string, table: string): Promise<string[]> {
  const columns = await queryOn<{ data_type: string }>(
    conn,
    'select data_type from duckdb_columns() where schema_name = $1 and table_name = $2 order by column_index',
    [schema, table],
  );
  if (columns.length === 0) throw new Error(`appendRows: table ${schema}.${table} does not exist`);
  return columns.map((c) => c.data_type);
}

/**
 * Appends rows into `schema.table` through DuckDB's appender on `conn` (so they belong to
 * the connection's open transaction). `leading` values are prepended to every row (e.g. the
 * load id). `types` are the table's column types when the caller already knows them (a
 * table no migration changes while the process runs); otherwise they are looked up.
 * Returns the number of rows appended.
 */
export async function appendRows(
  conn: DuckDBConnection,
  schema: string,
  table: string,
  rows: readonly (readonly AppendValue[])[],
  leading: readonly AppendValue[] = [],
  types?: readonly string[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const columns = (types ?? (await columnTypes(conn, schema, table))).map((data_type) => ({ data_type }));
  const puts = columns.map((c) => putterFor(c.data_type));
  const width = columns.length - leading.length;
  const appender = await conn.createAppender(table, schema);
  try {
    for (const row of rows) {
      if (row.length !== width) throw new Error(`appendRows: ${schema}.${table} takes ${width} values per row after the leading ones, got ${row.length}`);
      for (let i = 0; i < columns.length; i++) {
        const v = i < leading.length ? leading[i] : row[i - leading.length];
        if (v === null || v === undefined) appender.appendNull();
        else puts[i]!(appender, v);
      }
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
  return rows.length;
}
