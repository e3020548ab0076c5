import fs from 'node:fs';
import path from 'node:path';
import type { Warehouse } from './db.ts';
import { WarehouseError } from './errors.ts';
import { ident, literal } from './values.ts';

/** Schemas the export writes: what landed and what the models made of it. */
export const EXPORT_SCHEMAS = ['raw', 'marts'] as const;

/** Time columns a table is partitioned by (the first one it has), as a local date. */
const TIME_COLUMNS = ['sent_at', 'event_at', 'status_at', 'received_at', 'inbound_at', 'modified_at', 'created_at', 'as_of_date'];

/** How one table is written. */
export interface ExportedTable {
  readonly table: string;
  readonly rows: number;
  /** The hive partition column: `local_date`, `week`, or `partition_date` derived from a time column in PARLEY_TZ; null for one file. */
  readonly partitionBy: string | null;
  readonly files: number;
}

/** What an export wrote. */
export interface ParquetExport {
  readonly out: string;
  readonly tables: readonly ExportedTable[];
  readonly elapsedMs: number;
}

/** The partition of a table with these columns (see ExportedTable.partitionBy) and the SQL that selects it. */
export function partitionFor(table: string, columns: readonly { name: string; type: string }[], tz: string): { partitionBy: string | null; select: string } {
  const names = new Set(columns.map((c) => c.name));
  if (names.has('local_date')) return { partitionBy: 'local_date', select: `select * from ${table}` };
  if (names.has('week')) return { partitionBy: 'week', select: `select * from ${table}` };
  const time = TIME_COLUMNS.find((c) => names.has(c));
  if (time) {
    const type = columns.find((c) => c.name === time)!.type;
    const day = type === 'DATE' ? ident(time) : `cast(timezone(${literal(tz)}, ${ident(time)}) as date)`;
    return { partitionBy: 'partition_date', select: `select *, ${day} as partition_date from ${table}` };
  }
  return { partitionBy: null, select: `select * from ${table}` };
}

/**
 * Writes every table of raw and marts as hive-partitioned Parquet under `out`
 * (`<out>/<schema>/<table>/<partition>=<value>/data_0.parquet`, or `<table>.parquet`
 * when the table has no date). DuckDB may only write inside the data folder, so the files
 * are written to a staging folder there and moved into `out` when complete: `out` gets a
 * whole export or none. An existing `out` must be empty.
 */
export async function exportParquet(wh: Warehouse, out: string, onTable?: (t: ExportedTable, index: number, total: number) => void): Promise<ParquetExport> {
  const t0 = performance.now();
  const target = path.resolve(out);
  if (fs.existsSync(target) && fs.readdirSync(target).length > 0) {
    throw new WarehouseError('WH_EXPORT_FAILED', `${target} is not empty; give a new or empty folder with --out.`, { exitCode: 2 });
  }
  const staging = path.join(wh.config.dataDir, '.parley-tmp', `export-${process.pid}-${Date.now()}`);
  fs.mkdirSync(staging, { recursive: true });
  try {
    const columns = await wh.query<{ schema_name: string; table_name: string; column_name: string; data_type: string }>(
      `select schema_name, table_name, column_name, data_type from duckdb_columns()
       where schema_name in (${EXPORT_SCHEMAS.map(literal).join(', ')}) and not internal
       order by schema_name, table_name, column_index`,
    );
    const tables = [...new Set(columns.map((c) => `${c.schema_name}.${c.table_name}`))];
    const written: ExportedTable[] = [];
    for (const [i, table] of tables.entries()) {
      const [schema, name] = table.split('.') as [string, string];
      const cols = columns.filter((c) => c.schema_name === schema && c.table_name === name).map((c) => ({ name: c.column_name, type: c.data_type }));
      const qualified = `${ident(schema)}.${ident(name)}`;
      const { partitionBy, select } = partitionFor(qualified, cols, wh.config.tz);
      const [{ n }] = (await wh.query<{ n: number }>(`select count(*) as n from ${qualified}`)) as [{ n: number }];
      const dir = path.join(staging, schema, name);
      fs.mkdirSync(path.dirname(dir), { recursive: true });
      if (partitionBy && n > 0) {
        await wh.run(`copy (${select}) to ${literal(dir)} (format parquet, partition_by (${ident(partitionBy)}), compression zstd)`);
      } else {
        await wh.run(`copy (${select}) to ${literal(`${dir}.parquet`)} (format parquet, compression zstd)`);
      }
      const files = partitionBy && n > 0 ? (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.parquet')).length : 1;
      const result: ExportedTable = { table, rows: n, partitionBy: n > 0 ? partitionBy : null, files };
      written.push(result);
      onTable?.(result, i, tables.length);
    }
    fs.writeFileSync(
      path.join(staging, 'manifest.json'),
      `${JSON.stringify({ exported_at: new Date().toISOString(), timezone: wh.config.tz, tables: written }, null, 2)}\n`,
    );
    moveInto(staging, target);
    return { out: target, tables: written, elapsedMs: performance.now() - t0 };
  } catch (err) {
    if (err instanceof WarehouseError) throw err;
    throw new WarehouseError('WH_EXPORT_FAILED', `Parquet export failed: ${(err as Error).message}`, { cause: err });
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Moves a finished folder to `target` (rename on the same disk, else copy then delete). */
function moveInto(from: string, target: string): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  if (fs.existsSync(target)) fs.rmdirSync(target);
  try {
    fs.renameSync(from, target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    fs.cpSync(from, target, { recursive: true });
  }
}
