import type { DuckDBConnection } from '@duckdb/node-api';
import { appendRows } from '../warehouse/appender.ts';
import type { QuarantinedRecord } from './source.ts';

/** Longest raw text kept per quarantined record. */
export const MAX_QUARANTINE_TEXT = 64 * 1024;

/**
 * Appends quarantined records of one load into `ops.quarantine` on `conn` (inside the
 * batch's transaction), their text cut to MAX_QUARANTINE_TEXT. Returns how many.
 */
export function appendQuarantine(conn: DuckDBConnection, load: { readonly runId: number; readonly loadId: number; readonly source: string }, records: readonly QuarantinedRecord[], now = new Date()): Promise<number> {
  return appendRows(
    conn,
    'ops',
    'quarantine',
    records.map((q) => [load.runId, load.loadId, load.source, q.location, q.lineNo ?? null, q.recordId ?? null, q.reason, q.rawText.slice(0, MAX_QUARANTINE_TEXT), now]),
  );
}
