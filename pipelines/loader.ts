import type { DuckDBConnection } from '@duckdb/node-api';
import { errorMessage } from '../config/parley-error.ts';
import { appendRows } from '../warehouse/appender.ts';
import { bumpDataVersion } from '../warehouse/data-version.ts';
import { inTransaction, queryOn, runOn, type Warehouse } from '../warehouse/db.ts';
import { nextLoadId } from '../warehouse/load-ids.ts';
import { silentLogger, type Logger } from './logger.ts';
import { appendQuarantine } from './quarantine.ts';
import type { Batch, Source, SourceContext } from './source.ts';

/** What started a run (kept in the run log). */
export type RunTrigger = 'cli' | 'scheduler' | 'api' | 'webhook' | 'demo' | 'test';

/** Options of one run of a source. */
export interface RunOptions {
  readonly trigger?: RunTrigger;
  readonly path?: string;
  readonly options?: Readonly<Record<string, string>>;
  readonly log?: Logger;
  readonly signal?: AbortSignal;
  readonly fetch?: typeof globalThis.fetch;
  readonly now?: () => Date;
  /** Called after each committed batch with the totals so far. */
  readonly onProgress?: (totals: RunTotals) => void;
}

/** Running totals of a run. */
export interface RunTotals {
  rowsRead: number;
  rowsLoaded: number;
  rowsQuarantined: number;
  batches: number;
  counters: Record<string, number>;
  /** Notes of the run so far (failovers, first mapping errors), at most MAX_NOTES. */
  notes: string[];
}

/** The outcome of one run, as recorded in `ops.pipeline_runs`. */
export interface RunResult extends RunTotals {
  readonly runId: number;
  readonly source: string;
  readonly status: 'success' | 'failed';
  readonly error?: string;
  readonly elapsedMs: number;
}

/** Notes kept per run: enough to say what happened, not a log. */
const MAX_NOTES = 20;

/**
 * Runs one source: each batch it yields lands whole or not at all, with its quarantined
 * records and its cursors in the same transaction, and the run is logged in
 * `ops.pipeline_runs`. A failed batch is rolled back, the cursor stays where it was, and
 * the run is recorded as failed with the reason (the result says so; it does not throw).
 */
export async function runSource(wh: Warehouse, source: Source, opts: RunOptions = {}): Promise<RunResult> {
  return wh.locks.run(`source:${source.name}`, () => wh.withConnection((conn) => run(conn, wh, source, opts)));
}

async function run(conn: DuckDBConnection, wh: Warehouse, source: Source, opts: RunOptions): Promise<RunResult> {
  const log = opts.log ?? silentLogger;
  const started = Date.now();
  // A run still marked running was cut short by a crash: this process holds the source's lock.
  await runOn(conn, `update ops.pipeline_runs set status = 'interrupted', finished_at = coalesce(finished_at, now()), error = coalesce(error, 'the process stopped during the run; its uncommitted batch was rolled back') where source = $1 and status = 'running'`, [source.name]);
  const [{ run_id: runId }] = (await queryOn<{ run_id: number }>(conn, `select nextval('ops.run_id_seq') as run_id`)) as [{ run_id: number }];
  await runOn(conn, `insert into ops.pipeline_runs (run_id, source, trigger, started_at, status) values ($1, $2, $3, now(), 'running')`, [runId, source.name, opts.trigger ?? 'cli']);

  const cursors = new Map(
    (await queryOn<{ cursor_key: string; cursor_value: string }>(conn, 'select cursor_key, cursor_value from ops.cursors where source = $1', [source.name])).map((r) => [r.cursor_key, r.cursor_value]),
  );
  const ctx: SourceContext = {
    config: wh.config,
    cursor: (key) => cursors.get(key),
    path: opts.path,
    options: opts.options ?? {},
    log,
    signal: opts.signal ?? new AbortController().signal,
    fetch: opts.fetch ?? globalThis.fetch,
    now: opts.now ?? (() => new Date()),
  };
  const totals: RunTotals = { rowsRead: 0, rowsLoaded: 0, rowsQuarantined: 0, batches: 0, counters: {}, notes: [] };
  let error: string | undefined;
  try {
    for await (const batch of source.read(ctx)) {
      const committed = await commitBatch(wh, conn, runId, source.name, batch, totals);
      for (const [k, v] of Object.entries(committed)) cursors.set(k, v);
      opts.onProgress?.(totals);
      if (ctx.signal.aborted) break;
    }
  } catch (err) {
    error = errorMessage(err);
    log.error(`${source.name}: run ${runId} failed`, { error });
  }
  const status = error === undefined ? 'success' : 'failed';
  await runOn(
    conn,
    `update ops.pipeline_runs set finished_at = now(), status = $2, rows_read = $3, rows_loaded = $4, rows_quarantined = $5, batches = $6, error = $7, details = $8 where run_id = $1`,
    [runId, status, totals.rowsRead, totals.rowsLoaded, totals.rowsQuarantined, totals.batches, error ?? null, JSON.stringify(details(totals))],
  );
  return { runId, source: source.name, status, error, elapsedMs: Date.now() - started, ...totals };
}

/** Lands one batch: rows, bulk work, quarantine, cursors, load record and run totals in one transaction (after its `prepare`). */
async function commitBatch(wh: Warehouse, conn: DuckDBConnection, runId: number, sourceName: string, batch: Batch, totals: RunTotals): Promise<Readonly<Record<string, string>>> {
  await batch.prepare?.(conn);
  const landed = await inTransaction(conn, async () => {
    // In flight until this transaction ends, so a build does not pass it (warehouse/load-ids.ts).
    const loadId = await nextLoadId(wh, conn);
    let rows = 0;
    for (const [qualified, tableRows] of Object.entries(batch.rows)) {
      const [schema, table] = qualified.includes('.') ? qualified.split('.') : ['raw', qualified];
      // Rows loaded are records in raw; a source's own ops rows (e.g. probes) do not count.
      const n = await appendRows(conn, schema!, table!, tableRows, [loadId]);
      if (schema === 'raw') rows += n;
    }
    const applied = batch.apply ? await batch.apply({ conn, loadId, runId, source: sourceName }) : undefined;
    rows += applied?.loaded ?? 0;
    const read = batch.read + (applied?.read ?? 0);
    const quarantined = batch.quarantine.length + (applied?.quarantined ?? 0);
    const now = new Date();
    await appendQuarantine(conn, { runId, loadId, source: sourceName }, batch.quarantine, now);
    const cursors = { ...batch.cursors, ...applied?.cursors };
    const keys = Object.keys(cursors);
    if (keys.length > 0) {
      await runOn(conn, `delete from ops.cursors where source = $1 and cursor_key in (${keys.map((_, i) => `$${i + 2}`).join(', ')})`, [sourceName, ...keys]);
      await appendRows(conn, 'ops', 'cursors', keys.map((k) => [sourceName, k, cursors[k]!, now]));
    }
    await runOn(conn, 'insert into ops.loads values ($1, $2, $3, now(), $4, $5)', [loadId, runId, sourceName, rows, quarantined]);
    const counters = { ...totals.counters };
    for (const [k, v] of [...Object.entries(batch.counters ?? {}), ...Object.entries(applied?.counters ?? {})]) counters[k] = (counters[k] ?? 0) + v;
    const notes = [...totals.notes, ...(batch.notes ?? []), ...(applied?.notes ?? [])].slice(0, MAX_NOTES);
    await runOn(
      conn,
      `update ops.pipeline_runs set rows_read = rows_read + $2, rows_loaded = rows_loaded + $3, rows_quarantined = rows_quarantined + $4, batches = batches + 1, details = $5 where run_id = $1`,
      [runId, read, rows, quarantined, JSON.stringify(details({ counters, notes }))],
    );
    await bumpDataVersion(conn);
    return { rows, read, quarantined, counters, notes, cursors };
  });
  totals.rowsRead += landed.read;
  totals.rowsLoaded += landed.rows;
  totals.rowsQuarantined += landed.quarantined;
  totals.batches += 1;
  totals.counters = landed.counters;
  totals.notes = landed.notes;
  return landed.cursors;
}

/** The run's `details` JSON: counters, and notes when there are any. */
function details(t: Pick<RunTotals, 'counters' | 'notes'>): Record<string, unknown> {
  return t.notes.length > 0 ? { counters: t.counters, notes: t.notes } : { counters: t.counters };
}
