import type { DuckDBConnection } from '@duckdb/node-api';
import { errorMessage } from '../config/parley-error.ts';
import { inTransaction, queryOn, rollbackQuietly, runOn, type Warehouse } from './db.ts';
import { WarehouseError } from './errors.ts';
import { loadModels, orderModels, scopeQuery, upstreamOf, MODELS_DIR, type Model } from './model-files.ts';
import { bumpDataVersion } from './data-version.ts';
import { loadIdsOf, type LoadIdRegister } from './load-ids.ts';
import { modelVars } from './model-vars.ts';
import { ident, literal } from './values.ts';
import { CONTENT_VERSION_MAX_ROWS, contentVersion, fingerprintOf, readModelInputs, recordModelInputs, tableVersion } from './model-inputs.ts';

/** What happened to one model in a build. */
export interface ModelResult {
  readonly model: string;
  readonly status: 'success' | 'error' | 'skipped';
  /**
   * How it was built: table, view, incremental (merged new rows), full (incremental model
   * rebuilt) or unchanged (its SQL and inputs are as at its last build: kept as it is).
   */
  readonly strategy: string;
  readonly rows?: number;
  readonly elapsedMs: number;
  readonly error?: string;
  /** For an incremental merge: the load it started after (rows with a higher load_id are new). */
  readonly sinceLoadId?: number;
}

/** The outcome of a build: a result per model, in the order they ran. */
export interface BuildResult {
  readonly buildId: number;
  readonly status: 'success' | 'failed';
  readonly full: boolean;
  readonly results: readonly ModelResult[];
  readonly elapsedMs: number;
  /** Why the build failed, when it did. */
  readonly error?: string;
  /** True when `afterModels` failed and every model's work was rolled back. */
  readonly rolledBack: boolean;
}

/** What `afterModels` learns about the build it runs in. */
export interface AfterModelsContext {
  readonly buildId: number;
  readonly full: boolean;
  /** The highest load this build consumed. */
  readonly snapshotLoadId: number;
  /** Every model of the models folder, those `select` left out included. */
  readonly models: readonly Model[];
  /**
   * For each model merged incrementally in this build, a temp table (on `conn`) holding exactly
   * the rows the merge inserted; the key checks read it. Dropped before the build commits.
   */
  readonly mergedRows: ReadonlyMap<string, string>;
}

/** Options of a build. */
export interface BuildOptions {
  /** Rebuild every model, incremental ones from scratch, even those whose inputs did not change. */
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
   * Called with every model's result inside the build's transaction, on the connection
   * the build ran on; what it throws rolls back every model of the build (the previous
   * tables stay) and fails it. Data-quality checks and build steps written in TS use it.
   */
  readonly afterModels?: (conn: DuckDBConnection, results: readonly ModelResult[], ctx: AfterModelsContext) => Promise<void>;
  /**
   * Stops the build (SIGINT/SIGTERM of `parley build`): the running statement is interrupted,
   * no further model starts and the build's transaction is rolled back, so the warehouse is as
   * before it (but for the tables a first build created, committed as they were made). The
   * build ends `failed`.
   */
  readonly signal?: AbortSignal;
}

/** The error of a build stopped by its signal. */
export const INTERRUPTED = 'interrupted (SIGINT/SIGTERM): rolled back, the previous tables are kept';

/**
 * Runs the SQL models in dependency order, skipping (unless `full`) each model whose SQL and
 * inputs are the same as at its last build (ops.model_inputs). The whole build is one transaction: readers
 * keep seeing the previous tables until it commits, and `afterModels` can still undo it.
 * A model that fails stops only the models that depend on it: the transaction is rolled
 * back and the build runs again without the failed model and its dependents, so the
 * failed model keeps its previous table and the others still build.
 */
export async function runModels(wh: Warehouse, opts: BuildOptions = {}): Promise<BuildResult> {
  const all = orderModels(loadModels(opts.modelsDir ?? MODELS_DIR));
  const unknown = (opts.select ?? []).filter((id) => !all.some((m) => m.id === id));
  if (unknown.length > 0) throw new WarehouseError('WH_MODEL_INVALID', `No model called ${unknown.join(', ')}; models are named <layer>.<file name>, e.g. staging.stg_messages.`, { exitCode: 2 });
  const models = opts.select ? all.filter((m) => opts.select!.includes(m.id)) : all;
  const vars = { ...modelVars(wh.config), ...opts.vars };
  const loadIds = loadIdsOf(wh);
  return wh.locks.run('build', () =>
    wh.withConnection(async (conn) => {
      // An interrupt reaches only a statement that is running (one sent between statements is
      // lost), so once stopped keep interrupting until the build ends or rolls back.
      let kicker: NodeJS.Timeout | undefined;
      const onAbort = () => {
        conn.interrupt();
        kicker ??= setInterval(() => conn.interrupt(), 20);
      };
      const stopKicking = () => clearInterval(kicker);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        return await build(conn, loadIds, models, all, vars, { ...opts, stopKicking });
      } finally {
        opts.signal?.removeEventListener('abort', onAbort);
        stopKicking();
      }
    }),
  );
}

type RunOptions = BuildOptions & { readonly stopKicking: () => void };

/**
 * After a failure: when the build's signal stopped it, stops interrupting, rolls back and
 * returns the interrupted attempt's outcome (with `results`); otherwise undefined.
 */
async function interrupted(conn: DuckDBConnection, opts: RunOptions, results: ModelResult[]): Promise<Attempt | undefined> {
  if (!opts.signal?.aborted) return undefined;
  opts.stopKicking();
  await rollbackQuietly(conn);
  return { kind: 'done', results, error: INTERRUPTED, rolledBack: true };
}

type Attempt = { kind: 'model-failed'; model: string; result: ModelResult } | { kind: 'done'; results: ModelResult[]; error?: string; rolledBack: boolean };

async function build(conn: DuckDBConnection, loadIds: LoadIdRegister, models: Model[], all: readonly Model[], vars: Readonly<Record<string, string>>, opts: RunOptions): Promise<BuildResult> {
  const started = Date.now();
  const full = opts.full === true;
  const [{ build_id: buildId }] = (await queryOn<{ build_id: number }>(conn, `select nextval('ops.build_id_seq') as build_id`)) as [{ build_id: number }];
  await runOn(conn, `insert into ops.builds (build_id, started_at, is_full, status) values ($1, now(), $2, 'running')`, [buildId, full]);

  // Each failed model is left out of the next attempt; there are at most as many attempts as models.
  const excluded = new Map<string, ModelResult>();
  let outcome: Attempt;
  for (;;) {
    outcome = await attempt(conn, loadIds, models, all, vars, opts, full, buildId, excluded);
    if (outcome.kind === 'done') break;
    excluded.set(outcome.model, outcome.result);
  }

  const results = outcome.results;
  const counts = { ok: 0, error: 0, skipped: 0 };
  for (const r of results) counts[r.status === 'success' ? 'ok' : r.status]++;
  const status = counts.error === 0 && counts.skipped === 0 && !outcome.error ? 'success' : 'failed';
  const buildError = outcome.error ?? (counts.error > 0 ? results.filter((r) => r.status === 'error').map((r) => `${r.model}: ${r.error}`).join('; ') : undefined);
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
    if (!outcome.rolledBack) await bumpDataVersion(conn);
  });
  return { buildId, status, full, results, elapsedMs: Date.now() - started, error: buildError, rolledBack: outcome.rolledBack };
}

/** One pass over the models in one transaction; stops at the first model that fails. */
async function attempt(
  conn: DuckDBConnection,
  loadIds: LoadIdRegister,
  models: Model[],
  all: readonly Model[],
  vars: Readonly<Record<string, string>>,
  opts: RunOptions,
  full: boolean,
  buildId: number,
  excluded: ReadonlyMap<string, ModelResult>,
): Promise<Attempt> {
  // Incremental models read loads up to this snapshot; a later build starts after it. It
  // stays below the loads still in flight when the transaction began (warehouse/load-ids.ts).
  let began = false;
  try {
    const snapshot = await loadIds.snapshot(async () => {
      await runOn(conn, 'begin transaction');
      began = true;
      const [{ max_load_id: max }] = (await queryOn<{ max_load_id: number }>(conn, 'select coalesce(max(load_id), 0) as max_load_id from ops.loads')) as [{ max_load_id: number }];
      return Number(max);
    });
    const state = new Map(
      (await queryOn<{ model: string; last_load_id: number; sql_hash: string | null }>(conn, 'select model, last_load_id, sql_hash from ops.model_state')).map((r) => [
        r.model,
        { lastLoadId: r.last_load_id, sqlHash: r.sql_hash },
      ]),
    );
    // Incremental models rebuilt whole in this attempt: they keep their rows' load_ids, so what reads them by load_id must be rebuilt whole too.
    const rebuiltWhole = new Set<string>();
    const inputs = await readModelInputs(conn);
    // The version of every model's table as this attempt goes: what it read when skipped, what it wrote when built.
    const versions = new Map([...inputs].map(([id, s]) => [id, s.outputVersion]));
    const tableVersions = new Map<string, Promise<string>>();
    const existing = new Set(
      (await queryOn<{ id: string }>(conn, `select schema_name || '.' || table_name as id from duckdb_tables() union all select schema_name || '.' || view_name from duckdb_views() where not internal`)).map((r) => r.id),
    );
    const results: ModelResult[] = [];
    const mergedRows = new Map<string, string>();
    const failed = new Set<string>();
    for (const [i, model] of models.entries()) {
      const stopped = await interrupted(conn, opts, results);
      if (stopped) return stopped;
      const t0 = performance.now();
      let result: ModelResult;
      const blocker = model.dependsOn.find((d) => failed.has(d));
      const earlier = excluded.get(model.id);
      if (earlier) {
        failed.add(model.id);
        result = earlier;
      } else if (blocker) {
        failed.add(model.id);
        result = { model: model.id, status: 'skipped', strategy: model.materialized, elapsedMs: 0, error: `skipped because ${blocker} did not build` };
      } else {
        try {
          const read = new Map<string, string>([['materialized', model.materialized]]);
          for (const d of model.dependsOn) read.set(d, versions.get(d) ?? 'unbuilt');
          for (const t of model.reads) {
            if (!tableVersions.has(t)) tableVersions.set(t, tableVersion(conn, t));
            read.set(t, await tableVersions.get(t)!);
          }
          const template = render(model, { ...vars, since_load_id: '{{since_load_id}}' });
          const fingerprint = fingerprintOf(template, read);
          if (!full && existing.has(model.id) && inputs.get(model.id)?.fingerprint === fingerprint) {
            const rows = model.materialized === 'view' ? undefined : await countRows(conn, model);
            result = { model: model.id, status: 'success', strategy: 'unchanged', rows, elapsedMs: performance.now() - t0 };
            results.push(result);
            opts.onModel?.(result, i, models.length);
            continue;
          }
          // What an incremental model's state records of its SQL: the rendered SQL's hash, no inputs; for a
          // model with a merge scope also that of every model upstream (a new version of one rebuilds it whole).
          const sqlHash = fingerprintOf(template, model.mergeScope ? upstreamSql(model, all, vars) : new Map());
          const last = state.get(model.id);
          // A model with a merge scope is rebuilt whole after deletes outside a build (they forget every model's inputs).
          const mergeable =
            !full && last !== undefined && last.sqlHash === sqlHash && !model.dependsOn.some((d) => rebuiltWhole.has(d)) && (model.mergeScope === undefined || inputs.has(model.id));
          const since = mergeable ? last.lastLoadId : undefined;
          const { strategy, rows, created, merged } = await buildModel(conn, model, vars, since, snapshot, sqlHash);
          if (strategy === 'full') rebuiltWhole.add(model.id);
          if (merged) mergedRows.set(model.id, merged);
          const outputVersion =
            model.materialized === 'view' ? `view:${fingerprint}` : rows <= CONTENT_VERSION_MAX_ROWS ? await contentVersion(conn, `${ident(model.schema)}.${ident(model.name)}`) : `build:${buildId}`;
          versions.set(model.id, outputVersion);
          await recordModelInputs(conn, model.id, { fingerprint, outputVersion }, buildId);
          // A table created in an open transaction has no statistics: DuckDB plans every later
          // query on it as if it held one row (cross products, 16x slower on 1.8M messages).
          // A new table has no previous version to keep, so it is committed at once.
          if (created) {
            await runOn(conn, 'commit');
            await runOn(conn, 'begin transaction');
          }
          result = { model: model.id, status: 'success', strategy, rows, elapsedMs: performance.now() - t0, ...(strategy === 'incremental' ? { sinceLoadId: since } : {}) };
        } catch (err) {
          const stopped = await interrupted(conn, opts, results);
          if (stopped) return stopped;
          // DuckDB aborts the transaction on most errors: undo this attempt and run again without the model.
          await rollbackQuietly(conn);
          const failure: ModelResult = { model: model.id, status: 'error', strategy: model.materialized, elapsedMs: performance.now() - t0, error: errorMessage(err).split('\n')[0] };
          opts.onModel?.(failure, i, models.length);
          return { kind: 'model-failed', model: model.id, result: failure };
        }
      }
      results.push(result);
      opts.onModel?.(result, i, models.length);
    }
    if (opts.afterModels) {
      try {
        await opts.afterModels(conn, results, { buildId, full, snapshotLoadId: snapshot, models: all, mergedRows });
        await queryOn(conn, 'select 1'); // an aborted transaction fails here instead of "committing" nothing
        if (opts.signal?.aborted) throw new Error('interrupted');
      } catch (err) {
        const stopped = await interrupted(conn, opts, results);
        if (stopped) return stopped;
        await rollbackQuietly(conn);
        return { kind: 'done', results, error: `rolled back, the previous tables are kept: ${errorMessage(err)}`, rolledBack: true };
      }
    }
    for (const table of mergedRows.values()) await runOn(conn, `drop table if exists ${ident(table)}`);
    await runOn(conn, 'commit');
    return { kind: 'done', results, rolledBack: false };
  } catch (err) {
    const stopped = began ? await interrupted(conn, opts, []) : undefined;
    if (stopped) return stopped;
    if (began) await rollbackQuietly(conn);
    throw err;
  }
}

/**
 * Builds one model inside the build's transaction; `since` is the load it consumed last time
 * (undefined: build in full); `sqlHash` is recorded with an incremental model's state. An
 * incremental merge returns the temp table of the rows it inserted (`merged`), kept for the
 * key checks until the build commits.
 */
async function buildModel(
  conn: DuckDBConnection,
  model: Model,
  vars: Readonly<Record<string, string>>,
  since: number | undefined,
  snapshot: number,
  sqlHash: string,
): Promise<{ strategy: string; rows: number; created: boolean; merged?: string }> {
  const target = `${ident(model.schema)}.${ident(model.name)}`;
  const exists = (await queryOn(conn, `select 1 from duckdb_tables() where schema_name = $1 and table_name = $2`, [model.schema, model.name])).length > 0;
  const incremental = model.materialized === 'incremental' && exists && since !== undefined;
  const sql = render(model, { ...vars, since_load_id: String(incremental ? since : 0) });

  let strategy: string = model.materialized;
  let created = false;
  let merged: string | undefined;
  if (model.materialized === 'view') {
    await dropOther(conn, model, 'view');
    await runOn(conn, `create or replace view ${target} as ${sql}`);
  } else if (!incremental) {
    if (model.materialized === 'incremental') strategy = 'full';
    // Rebuilt in place when the columns are unchanged, so the table keeps its committed
    // statistics for the models that read it later in this transaction (see attempt()).
    if (exists && (await sameColumns(conn, target, sql))) {
      await runOn(conn, `delete from ${target}`);
      await runOn(conn, `insert into ${target} ${sql}`);
    } else {
      await dropOther(conn, model, 'table');
      await runOn(conn, `create or replace table ${target} as ${sql}`);
      created = !exists;
    }
  } else {
    const staged = `__new_${model.schema}_${model.name}`;
    const mergeList = model.mergeOn.map(ident).join(', ');
    await runOn(conn, `create or replace temp table ${ident(staged)} as ${sql}`);
    // Rows the model recomputed that may be gone: deleted even when no new row replaces them.
    if (model.mergeScope) await runOn(conn, `delete from ${target} where (${mergeList}) in (select (${mergeList}) from (${scopeQuery(sql, model.mergeScope)}))`);
    if (model.keepFirstBy.length > 0) {
      // A re-delivery in a later load does not displace the first delivery kept before.
      const on = model.mergeOn.map((k) => `t.${ident(k)} = s.${ident(k)}`).join(' and ');
      const rank = (alias: string) => `(${model.keepFirstBy.map((k) => `${alias}.${ident(k)}`).join(', ')})`;
      await runOn(conn, `delete from ${ident(staged)} as s where exists (select 1 from ${target} as t where ${on} and ${rank('t')} <= ${rank('s')})`);
    }
    await runOn(conn, `delete from ${target} where (${mergeList}) in (select (${mergeList}) from ${ident(staged)})`);
    await runOn(conn, `insert into ${target} by name select * from ${ident(staged)}`);
    merged = staged;
  }
  if (model.materialized === 'incremental') {
    await runOn(conn, `delete from ops.model_state where model = $1`, [model.id]);
    await runOn(conn, `insert into ops.model_state (model, last_load_id, built_at, sql_hash) values ($1, $2, now(), $3)`, [model.id, snapshot, sqlHash]);
  }
  return { strategy, rows: await countRows(conn, model), created, merged };
}

/** The rendered SQL of every model a model reads, directly or not, by id. */
function upstreamSql(model: Model, all: readonly Model[], vars: Readonly<Record<string, string>>): Map<string, string> {
  const byId = new Map(all.map((m) => [m.id, m]));
  return new Map(upstreamOf(model.id, all).map((id) => [id, render(byId.get(id)!, { ...vars, since_load_id: '{{since_load_id}}' })]));
}

/** Rows in a model's table (after a build, or when it was kept unchanged). */
async function countRows(conn: DuckDBConnection, model: Model): Promise<number> {
  const [count] = await queryOn<{ n: number }>(conn, `select count(*) as n from ${ident(model.schema)}.${ident(model.name)}`);
  return Number(count?.n ?? 0);
}

/** Whether a model's query returns the same column names and types, in order, as its existing table. */
async function sameColumns(conn: DuckDBConnection, target: string, sql: string): Promise<boolean> {
  const shape = (rows: { column_name: string; column_type: string }[]) => rows.map((r) => `${r.column_name} ${r.column_type}`).join(', ');
  const query = await queryOn<{ column_name: string; column_type: string }>(conn, `describe (${sql})`);
  const table = await queryOn<{ column_name: string; column_type: string }>(conn, `describe ${target}`);
  return shape(query) === shape(table);
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
