import type { Warehouse } from '../warehouse/db.ts';

/** One audited query (a row of `ops.sql_audit`). */
export interface SqlAuditEntry {
  readonly queryId: string;
  /** Who: `role:<role> token:<fingerprint>` through the API, `cli:<user>` from the CLI. */
  readonly actor: string;
  readonly channel: 'api' | 'cli';
  readonly startedAt: Date;
  readonly elapsedMs: number;
  /** success, forbidden, invalid, timeout, cancelled or failed. */
  readonly status: string;
  readonly rows: number | null;
  readonly truncated: boolean | null;
  readonly errorCode: string | null;
  readonly sql: string;
}

/** Longest SQL text kept per audited query. */
const MAX_SQL_TEXT = 20_000;

/** Writes one audit row. */
export async function auditQuery(wh: Warehouse, e: SqlAuditEntry): Promise<void> {
  await wh.run('insert into ops.sql_audit values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)', [
    e.queryId,
    e.actor,
    e.channel,
    e.startedAt,
    e.elapsedMs,
    e.status,
    e.rows,
    e.truncated,
    e.errorCode,
    e.sql.slice(0, MAX_SQL_TEXT),
  ]);
}

/** The audit status of an error code thrown by the sandbox. */
export function auditStatus(code: string | undefined): string {
  switch (code) {
    case undefined:
      return 'success';
    case 'API_SQL_FORBIDDEN':
      return 'forbidden';
    case 'API_SQL_INVALID':
      return 'invalid';
    case 'API_SQL_TIMEOUT':
      return 'timeout';
    case 'API_SQL_CANCELLED':
      return 'cancelled';
    default:
      return 'failed';
  }
}
