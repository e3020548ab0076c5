import { runModels } from '../../warehouse/model-runner.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { forgetModelInputs } from '../../warehouse/model-inputs.ts';

/** A SQL literal of a test value: strings quoted, lists as lists, null as NULL. */
function sqlValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(sqlValue).join(', ')}]`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return `'${String(v).replaceAll("'", "''")}'`;
}

/**
 * Replaces the rows of `table` with `rows` (columns by name; the ones left out are null),
 * so a model test can start from hand-written input instead of the whole pipeline.
 */
export async function replaceRows(wh: Warehouse, table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
  // A model table written outside a build: no model may be kept as unchanged after it.
  await wh.withConnection((conn) => forgetModelInputs(conn));
  await wh.run(`delete from ${table}`);
  if (rows.length === 0) return;
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const values = rows.map((r) => `(${columns.map((c) => sqlValue(r[c])).join(', ')})`).join(',\n');
  await wh.run(`insert into ${table} by name select * from (values ${values}) as t(${columns.join(', ')})`);
}

/** Builds only `models` (their inputs must exist) and fails the test when one does not build. */
export async function buildOnly(wh: Warehouse, models: readonly string[]): Promise<void> {
  const result = await runModels(wh, { select: models });
  const failed = result.results.filter((r) => r.status !== 'success');
  if (failed.length > 0) throw new Error(`models did not build: ${failed.map((f) => `${f.model}: ${f.error}`).join('; ')}`);
}

/** Builds every model once on an empty warehouse, so each table exists to be filled by hand. */
export async function createAllTables(wh: Warehouse): Promise<void> {
  const result = await runModels(wh, { full: true });
  const failed = result.results.filter((r) => r.status !== 'success');
  if (failed.length > 0) throw new Error(`models did not build on an empty warehouse: ${failed.map((f) => `${f.model}: ${f.error}`).join('; ')}`);
}
