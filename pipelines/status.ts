import fs from 'node:fs';
import { sql } from 'kysely';
import { readDataVersion } from '../warehouse/data-version.ts';
import type { Warehouse } from '../warehouse/db.ts';
import { kyselyFor } from '../warehouse/kysely.ts';
import { ident } from '../warehouse/values.ts';
import { SOURCES } from './registry.ts';

/** One source's state: its last run, its last success, quarantine and freshness. */
export interface SourceStatus {
  readonly source: string;
  readonly lastRun: { runId: number; status: string; startedAt: Date; finishedAt: Date | null; rowsRead: number; rowsLoaded: number; rowsQuarantined: number; error: string | null } | null;
  readonly lastSuccessAt: Date | null;
  readonly quarantined: number;
  /** Newest event time in the source's data (null before any data). */
  readonly newestDataAt: Date | null;
  /** Counters of the last run (e.g. mapping errors, system lines). */
  readonly counters: Record<string, number>;
}

/** What `parley status` and `/api/health` show. */
export interface WarehouseStatus {
  readonly dbPath: string;
  readonly dbBytes: number;
  readonly dataVersion: number;
  readonly sources: SourceStatus[];
  readonly lastBuild: { buildId: number; status: string; startedAt: Date; finishedAt: Date | null; modelsOk: number; modelsFailed: number; modelsSkipped: number; error: string | null } | null;
  readonly tables: { schema: string; table: string; rows: number }[];
}

/** Reads the warehouse's state: runs, quarantine, freshness, last build and row counts. */
export async function readStatus(wh: Warehouse): Promise<WarehouseStatus> {
  const db = kyselyFor(wh);
  const runs = await db
    .selectFrom('ops.pipeline_runs')
    .selectAll()
    .where('run_id', 'in', db.selectFrom('ops.pipeline_runs').select((eb) => eb.fn.max('run_id').as('run_id')).groupBy('source'))
    .execute();
  const successes = await db
    .selectFrom('ops.pipeline_runs')
    .select(['source', (eb) => eb.fn.max('finished_at').as('last_success_at')])
    .where('status', '=', 'success')
    .groupBy('source')
    .execute();
  const quarantine = await db
    .selectFrom('ops.quarantine')
    .select(['source', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('source')
    .execute();
  const listed = await sql<{ schema: string; table: string }>`
    select schema_name as "schema", table_name as "table"
    from duckdb_tables() where schema_name in ('raw', 'staging', 'marts', 'ops') and not internal
    order by schema_name, table_name`.execute(db);
  const tables = listed.rows.length
    ? await wh.query<{ schema: string; table: string; rows: number }>(
        listed.rows.map((t) => `select '${t.schema}' as schema, '${t.table}' as "table", count(*) as rows from ${ident(t.schema)}.${ident(t.table)}`).join(' union all '),
      )
    : [];
  const known = new Set(tables.map((t) => `${t.schema}.${t.table}`));

  const names = [...new Set([...SOURCES.map((s) => s.name), ...runs.map((r) => r.source)])];
  const sources: SourceStatus[] = [];
  for (const name of names) {
    const run = runs.find((r) => r.source === name);
    const freshness = SOURCES.find((s) => s.name === name)?.freshness;
    let newestDataAt: Date | null = null;
    if (freshness && known.has(freshness.table)) {
      const [row] = await wh.query<{ newest: Date | null }>(`select max(${freshness.column}) as newest from ${freshness.table}`);
      newestDataAt = row?.newest ?? null;
    }
    let counters: Record<string, number> = {};
    try {
      counters = (JSON.parse(run?.details ?? '{}') as { counters?: Record<string, number> }).counters ?? {};
    } catch {
      counters = {};
    }
    sources.push({
      source: name,
      lastRun: run
        ? { runId: run.run_id, status: run.status, startedAt: run.started_at, finishedAt: run.finished_at, rowsRead: run.rows_read, rowsLoaded: run.rows_loaded, rowsQuarantined: run.rows_quarantined, error: run.error }
        : null,
      lastSuccessAt: (successes.find((s) => s.source === name)?.last_success_at as Date | undefined) ?? null,
      quarantined: Number(quarantine.find((q) => q.source === name)?.n ?? 0),
      newestDataAt,
      counters,
    });
  }
  const build = await db.selectFrom('ops.builds').selectAll().orderBy('build_id', 'desc').limit(1).executeTakeFirst();
  return {
    dbPath: wh.path,
    dbBytes: fileSize(wh.path) + fileSize(`${wh.path}.wal`),
    dataVersion: await wh.withConnection(readDataVersion),
    sources,
    lastBuild: build
      ? { buildId: build.build_id, status: build.status, startedAt: build.started_at, finishedAt: build.finished_at, modelsOk: build.models_ok, modelsFailed: build.models_failed, modelsSkipped: build.models_skipped, error: build.error }
      : null,
    tables: tables.sort((a, b) => a.schema.localeCompare(b.schema) || a.table.localeCompare(b.table)),
  };
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}
