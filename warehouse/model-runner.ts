import type { DuckDBConnection } from '@duckdb/node-api';
import { errorMessage } from '../config/parley-error.ts';
import { inTransaction, queryOn, runOn, type Warehouse } from './db.ts';
import { WarehouseError } from './errors.ts';
import { loadModels, orderModels, MODELS_DIR, type Model } from './model-files.ts';
import { bumpDataVersion } from './data-version.ts';
import { ident, literal } from './values.ts';

/** What happened to one model in a build. */
export interface ModelResult {
  readonly model: string;
  readonly status: 'success' | 'error' | 'skipped';
  /** How it was built: table, view, incremental (merged new rows) or full (incremental model rebuilt). */
  readonly strategy: string;
  readonly rows?: number;
  readonly elapsedMs: number;
  readonly error?: string;
}

/** The outcome of a build: a result per model, in the order they ran. */
export interface BuildResult {
  readonly buildId: number;
  readonly status: 'success' | 'failed';
  readonly full: boolean;
  readonly results: readonly ModelResult[];
  readonly elapsedMs: number;
}

/** Options of a build. */
export interface BuildOptions {
  /** Rebuild incremental models from scratch. */
  readonly full?: boolean;
  /** Models folder (tests use their own). */
  readonly modelsDir?: string;
  /** Build only these models (ids like `staging.stg_messages`); their inputs must exist. */
  readonly select?: readonly string[];
  /** Extra `{{name}}` template variables. */
  readonly vars?: Readonly<Record<string, string>>;
  /** Called after each model, e.g. for progress. */
  readonly onModel?: (result: ModelResult, index: number, total: number) => void;
  /**
   * Called with every model's result before the build is recorded, on the connection the
   * build ran on; what it throws fails the build (e.g. data-quality checks).
   */
  readonly afterModels?: (conn: DuckDBConnection, results: readonly ModelResult[]) => Promise<void>;
}

/**
 * Runs the SQL models in dependency order. A model that fails stops only the models that
 * depend on it (they are skipped); the others still build. Each model builds in its own
 * transaction, so a failed model keeps its previous table.
 */
export async function runModels(wh: Warehouse, opts: BuildOptions = {}): Promise<BuildResult> {
  const all = orderModels(loadModels(opts.modelsDir ?? MODELS_DIR));
  const unknown = (opts.select ?? []).filter((id) => !all.some((m) => m.id === id));
  if (unknown.length > 0) throw new WarehouseError('WH_MODEL_INVALID', `No model called ${unknown.join(', ')}; models are named <layer>.<file name>, e.g. staging.stg_messages.`, { exitCode: 2 });
  const models = opts.select ? all.filter((m) => opts.select!.includes(m.id)) : all;
  return wh.locks.run('build', () => wh.withConnection((conn) => build(conn, wh, models, opts)));
}

async function build(conn: DuckDBConnection, wh: Warehouse, models: Model[], opts: BuildOptions): Promise<BuildResult> {
  const started = Date.now();
  const full = opts.full === true;
  const [{ build_id: buildId }] = (await queryOn<{ build_id: number }>(conn, `select nextval('ops.build_id_seq') as build_id`)) as [{ build_id: number }];
  await runOn(conn, `insert into ops.builds (build_id, started_at, is_full, status) values ($1, now(), $2, 'running')`, [buildId, full]);
  // Incremental models read loads up to this snapshot; a later build starts after it.
  const [{ max_load_id: snapshot }] = (await queryOn<{ max_load_id: number }>(conn, 'select coalesce(max(load_id), 0) as max_load_id from ops.loads')) as [{ max_load_id: number }];
  const state = new Map(
    (await queryOn<{ model: string; last_load_id: number }>(conn, 'select model, last_load_id from ops.model_state')).map((r) => [r.model, r.last_load_id]),
  );

  const results: ModelResult[] = [];
  const failed = new Set<string>();
  for (const [i, model] of models.entries()) {
    const t0 = performance.now();
    let result: ModelResult;
    const blocker = model.dependsOn.find((d) => failed.has(d));
    if (blocker) {
      failed.add(model.id);
      result = { model: model.id, status: 'skipped', strategy: model.materialized, elapsedMs: 0, error: `skipped because ${blocker} did not build` };
    } else {
      try {
        const vars = { tz: wh.config.tz, region: wh.config.region, ...opts.vars };
        const { strategy, rows } = await buildModel(conn, model, vars, full ? undefined : state.get(model.id), snapshot);
        result = { model: model.id, status: 'success', strategy, rows, elapsedMs: performance.now() - t0 };
      } catch (err) {
        failed.add(model.id);
        result = { model: model.id, status: 'error', strategy: model.materialized, elapsedMs: performance.now() - t0, error: errorMessage(err).split('\n')[0] };
      }
    }
    results.push(result);
    opts.onModel?.(result, i, models.length);
  }

  let buildError: string | undefined;
  if (opts.afterModels) {
    try {
      await opts.afterModels(conn, results);
    } catch (err) {
      buildError = errorMessage(err);
    }
  }
  const counts = { ok: 0, error: 0, skipped: 0 };
  for (const r of results) counts[r.status === 'success' ? 'ok' : r.status]++;
  const status = counts.error === 0 && counts.skipped === 0 && !buildError ? 'success' : 'failed';
  buildError ??= counts.error > 0 ? results.filter((r) => r.status === 'error').map((r) => `${r.model}: ${r.error}`).join('; ') : undefined;
  await inTransaction(conn, async () => {
    await runOn(
      conn,
      `update ops.builds set finished_at = now(), status = $2, models_ok = $3, models_failed = $4, models_skipped = $5, error = $6 where build_id = $1`,
      [buildId, status, counts.ok, counts.error, counts.skipped, buildError ?? null],
    );
    if (results.length > 0) {
      await runOn(
        conn,
        `insert into ops.model_runs select * from (values ${results.map((_, j) => `($1, $${j * 6 + 2}, $${j * 6 + 3}, $${j * 6 + 4}, $${j * 6 + 5}::bigint, $${j * 6 + 6}::double, $${j * 6 + 7})`).join(', ')})`,
        [buildId, ...results.flatMap((r) => [r.model, r.status, r.strategy, r.rows ?? null, r.elapsedMs, r.error ?? null])],
      );
    }
    await bumpDataVersion(conn);
  });
  return { buildId, status, full, results, elapsedMs: Date.now() - started };
}

/** Builds one model; `since` is the load it consumed last time (undefined: build in full). */
async function buildModel(
  conn: DuckDBConnection,
  model: Model,
  vars: Readonly<Record<string, string>>,
  since: number | undefined,
  snapshot: number,
): Promise<{ strategy: string; rows: number }> {
  const target = `${ident(model.schema)}.${ident(model.name)}`;
  const exists = (await queryOn(conn, `select 1 from duckdb_tables() where schema_name = $1 and table_name = $2`, [model.schema, model.name])).length > 0;
  const incremental = model.materialized === 'incremental' && exists && since !== undefined;
  const sql = render(model, { ...vars, since_load_id: String(incremental ? since : 0) });

  let strategy: string = model.materialized;
  await inTransaction(conn, async () => {
    if (model.materialized === 'view') {
      await dropOther(conn, model, 'view');
      await runOn(conn, `create or replace view ${target} as ${sql}`);
    } else if (!incremental) {
      await dropOther(conn, model, 'table');
      await runOn(conn, `create or replace table ${target} as ${sql}`);
      if (model.materialized === 'incremental') strategy = 'full';
    } else {
      const staged = `__new_${model.name}`;
      const keyList = model.key.map(ident).join(', ');
      await runOn(conn, `create or replace temp table ${ident(staged)} as ${sql}`);
      await runOn(conn, `delete from ${target} where (${keyList}) in (select (${keyList}) from ${ident(staged)})`);
      await runOn(conn, `insert into ${target} by name select * from ${ident(staged)}`);
      await runOn(conn, `drop table ${ident(staged)}`);
    }
    if (model.materialized === 'incremental') {
      await runOn(conn, `delete from ops.model_state where model = $1`, [model.id]);
      await runOn(conn, `insert into ops.model_state values ($1, $2, now())`, [model.id, snapshot]);
    }
  });
  const [count] = await queryOn<{ n: number }>(conn, `select count(*) as n from ${target}`);
  return { strategy, rows: count?.n ?? 0 };
}

/** A model that changed between view and table must lose its old kind first. */
async function dropOther(conn: DuckDBConnection, model: Model, kind: 'view' | 'table'): Promise<void> {
  const other = kind === 'view' ? 'table' : 'view';
  const catalog = other === 'view' ? 'duckdb_views()' : 'duckdb_tables()';
  const col = other === 'view' ? 'view_name' : 'table_name';
  const found = await queryOn(conn, `select 1 from ${catalog} where schema_name = $1 and ${col} = $2 and not internal`, [model.schema, model.name]);
  if (found.length > 0) await runOn(conn, `drop ${other} ${ident(model.schema)}.${ident(model.name)}`);
}

/** Fills `{{name}}` placeholders; an unknown one is an error naming the model. */
export function render(model: Pick<Model, 'id' | 'sql'>, vars: Readonly<Record<string, string>>): string {
  return model.sql.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) {
      throw new WarehouseError('WH_MODEL_INVALID', `Model ${model.id} uses {{${name}}}, which is not a known variable (known: ${Object.keys(vars).join(', ')}).`);
    }
    return name === 'since_load_id' ? value : literal(value);
  });
}
