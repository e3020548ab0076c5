import type { Warehouse } from '../warehouse/db.ts';
import type { JobRecord } from './scheduler.ts';

/** Writes one scheduler history row into `ops.scheduler_runs`. */
export async function recordJobRun(wh: Warehouse, row: JobRecord): Promise<void> {
  await wh.run(
    'insert into ops.scheduler_runs values ($1, $2, $3, $4, $5, $6, $7, $8)',
    [row.job, row.trigger, row.attempt, row.startedAt, row.finishedAt, row.status, row.error, row.details ? JSON.stringify(row.details) : null],
  );
}

/** The newest scheduler history rows, newest first. */
export async function readJobHistory(wh: Warehouse, limit = 20): Promise<JobRecord[]> {
  const rows = await wh.query<{ job: string; trigger: JobRecord['trigger']; attempt: number; started_at: Date; finished_at: Date | null; status: JobRecord['status']; error: string | null; details: string | null }>(
    'select * from ops.scheduler_runs order by started_at desc, finished_at desc limit $1',
    [limit],
  );
  return rows.map((r) => ({
    job: r.job,
    trigger: r.trigger,
    attempt: r.attempt,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    status: r.status,
    error: r.error,
    details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null,
  }));
}
