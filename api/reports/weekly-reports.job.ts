import type { Config } from '../../config/config.ts';
import type { Clock } from '../../pipelines/clock.ts';
import type { Logger } from '../../pipelines/logger.ts';
import type { JobSpec, RetryPolicy } from '../../pipelines/scheduler.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { lastCompleteWeek } from '../../warehouse/reports/iso-week.ts';
import { archiveRoot, writeReportArchive } from './report-archive.ts';
import type { ReportRenderers } from './report-registry.ts';

/**
 * The Monday-morning job: writes the weekly reports of the week just ended (in PARLEY_TZ)
 * to `<data folder>/reports/<week>/`. A renderer that throws fails the job (it is retried);
 * a kind with no renderer yet is noted and skipped.
 */
export function weeklyReportsJob(deps: { wh: Warehouse; config: Config; clock: Clock; log: Logger; renderers: ReportRenderers; schedule: string; retry: RetryPolicy }): JobSpec {
  return {
    name: 'weekly-reports',
    schedule: deps.schedule,
    description: 'write the three weekly reports of the week just ended to data/reports/<week>/',
    retry: deps.retry,
    async run() {
      const week = lastCompleteWeek(deps.clock.now(), deps.config.tz);
      const result = await writeReportArchive(deps.wh, week, deps.renderers, archiveRoot(deps.config.dataDir));
      const failed = result.missing.filter((m) => m.reason !== 'no renderer registered');
      for (const m of result.missing) deps.log.warn(`weekly reports ${week}: ${m.kind} not written (${m.reason})`);
      return {
        status: failed.length === 0 ? 'success' : 'failed',
        error: failed.length ? failed.map((m) => `${m.kind}: ${m.reason}`).join('; ') : undefined,
        details: { week, files: result.written.length, missing: result.missing },
      };
    },
  };
}
