import type { Warehouse } from '../warehouse/db.ts';
import type { Logger } from './logger.ts';
import { runAll } from './run-all.ts';
import type { ScheduleConfig } from './schedule-config.ts';
import type { JobOutcome, JobSpec, RetryPolicy } from './scheduler.ts';
import type { Source } from './source.ts';

/** The retry policy of a schedule config, in ms. */
export function retryPolicy(schedule: ScheduleConfig): RetryPolicy {
  return { attempts: schedule.retry.attempts, baseMs: schedule.retry.base_seconds * 1000, maxMs: schedule.retry.max_seconds * 1000 };
}

/**
 * The pipeline jobs of a schedule: `pipelines` runs every source without an override and
 * then an incremental build; each overridden source gets a job of its own (`source:<name>`)
 * that runs it and then builds. A source set to "off" runs only when triggered by hand.
 */
export function pipelineJobs(wh: Warehouse, schedule: ScheduleConfig, sources: readonly Source[], log: Logger): JobSpec[] {
  const retry = retryPolicy(schedule);
  const job = (name: string, expr: string, group: readonly Source[]): JobSpec => ({
    name,
    schedule: expr,
    description: `ingest ${group.map((s) => s.name).join(', ') || 'nothing'}, then an incremental build`,
    retry,
    run: (signal) => runGroup(wh, group, log, signal),
  });
  const jobs: JobSpec[] = [job('pipelines', schedule.pipelines, sources.filter((s) => schedule.sources[s.name] === undefined))];
  for (const source of sources) {
    const expr = schedule.sources[source.name];
    if (expr !== undefined && expr !== 'off') jobs.push(job(`source:${source.name}`, expr, [source]));
  }
  return jobs;
}

async function runGroup(wh: Warehouse, sources: readonly Source[], log: Logger, signal: AbortSignal): Promise<JobOutcome> {
  const { runs, build } = await runAll(wh, { trigger: 'scheduler', sources, log, signal });
  const failed = runs.filter((r) => r.status === 'failed').map((r) => `${r.source}: ${r.error}`);
  if (build && build.status !== 'success') failed.push(`build ${build.buildId}: ${build.results.filter((r) => r.status !== 'success').map((r) => r.model).join(', ') || 'failed'}`);
  return {
    status: failed.length === 0 ? 'success' : 'failed',
    error: failed.length ? failed.join('; ') : undefined,
    details: { runs: runs.map((r) => ({ source: r.source, run_id: r.runId, status: r.status, rows_loaded: r.rowsLoaded })), build_id: build?.buildId ?? null },
  };
}
