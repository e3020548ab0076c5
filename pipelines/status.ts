import fs from 'node:fs';
import { sql } from 'kysely';
import { readDataVersion } from '../warehouse/data-version.ts';
import type { Warehouse } from '../warehouse/db.ts';
import { kyselyFor } from '../warehouse/kysely.ts';
import { ident } from '../warehouse/values.ts';
import { chooseApiUrl, parseProbeState } from './crm/api-failover.ts';
import { loadCrmMapping } from './crm/crm-mapping.ts';
import { describeUrl } from './crm/http-client.ts';
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
  /** Notes of the last run (failovers, first mapping errors). */
  readonly notes: string[];
  /** Why the source does not run with this configuration (e.g. crm-api without CRM_API_URL). */
  readonly unavailable: string | null;
}

/** The latest result of one data-quality check. */
export interface CheckStatus {
  readonly checkName: string;
  readonly status: string;
  readonly observed: number | null;
  readonly threshold: number | null;
  readonly runAt: Date;
  readonly details: string | null;
}

/** Which CRM API URL the pull uses and how the probes went. */
export interface CrmApiStatus {
  readonly activeUrl: string;
  readonly isFailover: boolean;
  readonly note: string | null;
  readonly lastProbeAt: string | null;
  readonly urls: { url: string; badProbesInARow: number; lastMs: number | null; lastOk: boolean | null }[];
}

/** What `parley status` and `/api/health` show. */
export interface WarehouseStatus {
  readonly dbPath: string;
  readonly dbBytes: number;
  readonly dataVersion: number;
  readonly sources: SourceStatus[];
  readonly lastBuild: { buildId: number; status: string; startedAt: Date; finishedAt: Date | null; modelsOk: number; modelsFailed: number; modelsSkipped: number; error: string | null } | null;
  readonly tables: { schema: string; table: string; rows: number }[];
  readonly dataQuality: CheckStatus[];
  readonly crmApi: CrmApiStatus | null;
  /** Identity resolution: merges in force, open review items, erasures done. */
  readonly identity: { merges: number; openReviews: number; erasures: number };
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
      const [row] = await wh.query<{ newest: Date | null }>(`select max(${freshness.column}) as newest from ${freshness.table}${freshness.where ? ` where ${freshness.where}` : ''}`);
      newestDataAt = row?.newest ?? null;
    }
    let counters: Record<string, number> = {};
    let notes: string[] = [];
    try {
      const details = JSON.parse(run?.details ?? '{}') as { counters?: Record<string, number>; notes?: string[] };
      counters = details.counters ?? {};
      notes = Array.isArray(details.notes) ? details.notes : [];
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
      notes,
      unavailable: SOURCES.find((src) => src.name === name)?.unavailable?.(wh.config) ?? null,
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
    dataQuality: known.has('ops.dq_results') ? await readChecks(wh) : [],
    crmApi: await readCrmApi(wh),
    identity: await readIdentity(wh, known),
  };
}

async function readChecks(wh: Warehouse): Promise<CheckStatus[]> {
  const rows = await wh.query<{ check_name: string; status: string; observed: number | null; threshold: number | null; run_at: Date; details: string | null }>(
    `select check_name, status, observed, threshold, run_at, details from ops.dq_results qualify row_number() over (partition by check_name order by run_at desc) = 1 order by check_name`,
  );
  return rows.map((r) => ({ checkName: r.check_name, status: r.status, observed: r.observed, threshold: r.threshold, runAt: r.run_at, details: r.details }));
}

async function readCrmApi(wh: Warehouse): Promise<CrmApiStatus | null> {
  const urls = wh.config.crmApiUrls;
  if (urls.length === 0) return null;
  const [row] = await wh.query<{ cursor_value: string }>(`select cursor_value from ops.cursors where source = 'crm-api' and cursor_key = 'probe'`);
  const state = parseProbeState(row?.cursor_value);
  const consecutive = loadCrmMapping(wh.config).api.probe.consecutive;
  const choice = chooseApiUrl(urls, state, consecutive);
  return {
    activeUrl: describeUrl(choice.url),
    isFailover: choice.index > 0,
    note: choice.note ?? null,
    lastProbeAt: state.at,
    urls: urls.map((u) => ({ url: describeUrl(u), badProbesInARow: state.urls[u]?.bad ?? 0, lastMs: state.urls[u]?.lastMs ?? null, lastOk: state.urls[u]?.lastOk ?? null })),
  };
}

async function readIdentity(wh: Warehouse, known: ReadonlySet<string>): Promise<WarehouseStatus['identity']> {
  if (!known.has('ops.customer_merges')) return { merges: 0, openReviews: 0, erasures: 0 };
  const [row] = await wh.query<{ merges: number; reviews: number; erasures: number }>(
    `select (select count(*) from ops.customer_merges where undone_at is null) as merges,
            (select count(*) from ops.review_queue where status = 'open') as reviews,
            (select count(*) from ops.erasures) as erasures`,
  );
  return { merges: row?.merges ?? 0, openReviews: row?.reviews ?? 0, erasures: row?.erasures ?? 0 };
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}
