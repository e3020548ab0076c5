import type { ReportKind } from '../../api/reports/report-registry.ts';

export type { ReportKind };

/** The report kinds in the order the dashboard shows them. */
export const REPORT_KINDS: readonly ReportKind[] = ['service-efficiency', 'sales-funnel', 'cost-efficiency'];

/** A mart row: named columns with JSON values (timestamps as ISO strings). */
export type Row = Record<string, unknown>;

/** Every mart route answers `{data_version, ...meta, rows}`. */
export interface MartAnswer<R = Row> {
  readonly data_version: number;
  readonly rows: readonly R[];
  readonly [meta: string]: unknown;
}

/** `GET /api/health`. */
export interface Health {
  readonly status: 'ok' | 'degraded';
  readonly dataVersion: number;
  readonly serverTime: string;
  readonly timezone?: string;
  readonly dbPath: string;
  readonly dbBytes: number;
  readonly lastBuild: { buildId: number; status: string; finishedAt: string | null; error: string | null } | null;
  readonly sources: readonly {
    source: string;
    lastRunStatus: string | null;
    lastRunAt: string | null;
    lastSuccessAt: string | null;
    newestDataAt: string | null;
    freshnessSeconds: number | null;
    quarantined: number;
  }[];
  readonly scheduler: readonly { name: string; running: boolean; lastStatus: string | null; nextRunAt: string | null; nextRetryAt: string | null }[] | null;
}

/** One run of `ops.pipeline_runs` as `/api/pipelines` lists it. */
export interface PipelineRun {
  readonly run_id: number;
  readonly source: string;
  readonly trigger: string;
  readonly started_at: string;
  readonly finished_at: string | null;
  readonly status: string;
  readonly rows_read: number;
  readonly rows_loaded: number;
  readonly rows_quarantined: number;
  readonly batches: number;
  readonly error: string | null;
}

/** `GET /api/pipelines`. */
export interface Pipelines {
  readonly status: {
    dbPath: string;
    dbBytes: number;
    dataVersion: number;
    lastBuild: { buildId: number; status: string; startedAt: string; finishedAt: string | null; modelsOk: number; modelsFailed: number; modelsSkipped: number; error: string | null } | null;
    tables: readonly { schema: string; table: string; rows: number }[];
    sources: readonly { source: string; quarantined: number; newestDataAt: string | null; lastSuccessAt: string | null; lastRun: { status: string; startedAt: string; finishedAt: string | null; rowsRead: number; rowsLoaded: number; rowsQuarantined: number; error: string | null } | null }[];
  };
  readonly runs: readonly PipelineRun[];
  readonly quarantine: readonly { source: string; reason: string; records: number; latest_at: string }[];
  readonly scheduler: { timezone: string; jobs: readonly Row[]; history: readonly Row[] } | null;
}

/** `GET /api/schema`. */
export interface SchemaAnswer {
  readonly data_version: number;
  readonly tables: readonly {
    schema: string;
    name: string;
    kind: string;
    grain: string | null;
    description: string | null;
    columns: readonly { name: string; type: string; nullable: boolean; description: string | null }[];
  }[];
}

/** `POST /api/sql` as JSON. */
export interface SqlAnswer {
  readonly query_id: string;
  readonly columns: readonly { name: string; type: string }[];
  readonly rows: readonly Row[];
  readonly row_count: number;
  readonly truncated: boolean;
  readonly elapsed_ms: number;
}
