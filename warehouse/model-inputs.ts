import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryOn, runOn } from './db.ts';
import { ident } from './values.ts';

/** A model's inputs at its last build and the version of the table it wrote then. */
export interface ModelInputState {
  readonly fingerprint: string;
  readonly outputVersion: string;
}

/**
 * Tables with at most this many rows get a content version (a model whose rebuild gave the
 * same rows does not make its readers rebuild); bigger ones are versioned by the build that
 * wrote them, as hashing them would cost about as much as the models it could save.
 */
export const CONTENT_VERSION_MAX_ROWS = 200_000;

/** What each model read at its last build (ops.model_inputs). */
export async function readModelInputs(conn: DuckDBConnection): Promise<Map<string, ModelInputState>> {
  const rows = await queryOn<{ model: string; fingerprint: string; output_version: string }>(conn, 'select model, fingerprint, output_version from ops.model_inputs');
  return new Map(rows.map((r) => [r.model, { fingerprint: r.fingerprint, outputVersion: r.output_version }]));
}

/** Records what a model read and wrote; call in the build's transaction, after building it. */
export async function recordModelInputs(conn: DuckDBConnection, model: string, state: ModelInputState, buildId: number): Promise<void> {
  await runOn(conn, 'delete from ops.model_inputs where model = $1', [model]);
  await runOn(conn, 'insert into ops.model_inputs values ($1, $2, $3, $4, now())', [model, state.fingerprint, state.outputVersion, buildId]);
}

/**
 * Forgets every model's inputs, so the next build rebuilds every model. Anything that
 * changes model tables or their inputs outside a build (retention, erasure) calls it in
 * its own transaction: their deletes may leave a table's version looking unchanged.
 */
export async function forgetModelInputs(conn: DuckDBConnection): Promise<void> {
  await runOn(conn, 'delete from ops.model_inputs');
}

/** The fingerprint of a model's inputs: its rendered SQL and the version of everything it reads. */
export function fingerprintOf(sql: string, inputs: ReadonlyMap<string, string>): string {
  const h = createHash('sha256').update(sql);
  for (const id of [...inputs.keys()].sort()) h.update(`\n${id}=${inputs.get(id)}`);
  return h.digest('hex');
}

/**
 * The version of a table no model builds (raw, ops): raw tables are append-only and every row
 * carries the load that wrote it, so rows and load ids tell a change apart; other tables are
 * small and hashed whole. A missing table has its own version.
 */
export async function tableVersion(conn: DuckDBConnection, table: string): Promise<string> {
  const [schema, name] = table.split('.') as [string, string];
  const cols = await queryOn<{ column_name: string }>(conn, 'select column_name from duckdb_columns() where schema_name = $1 and table_name = $2', [schema, name]);
  if (cols.length === 0) return 'absent';
  const target = `${ident(schema)}.${ident(name)}`;
  if (cols.some((c) => c.column_name === 'load_id')) {
    const [r] = await queryOn<{ v: string }>(conn, `select concat_ws(':', 'loads', count(*), max(load_id), sum(load_id)) as v from ${target}`);
    return r!.v;
  }
  return contentVersion(conn, target);
}

/** A version that changes whenever a table's rows do (rows as a multiset; order does not count). */
export async function contentVersion(conn: DuckDBConnection, target: string): Promise<string> {
  const [r] = await queryOn<{ v: string }>(conn, `select concat_ws(':', 'rows', count(*), coalesce(sum(hash(t)::hugeint), 0)) as v from ${target} t`);
  return r!.v;
}
