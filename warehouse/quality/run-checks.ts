import { errorMessage } from '../../config/parley-error.ts';
import { appendRows } from '../appender.ts';
import type { Warehouse } from '../db.ts';
import type { CheckContext, CheckResult, QualityCheck } from './check.ts';
import { CUSTOMER_CHECKS } from './customer-checks.ts';
import { freshnessCheck } from './freshness.ts';
import { modelKeyChecks } from './key-checks.ts';
import { sampleSyncCheck } from './sample-sync.ts';
import { SERVICE_CHECKS } from './service-checks.ts';

/** Every check a build runs: model keys, the service and customer marts' relationships and values, freshness, the daily sample. */
export function defaultChecks(modelsDir?: string): QualityCheck[] {
  return [modelKeyChecks(modelsDir), ...SERVICE_CHECKS, ...CUSTOMER_CHECKS, freshnessCheck(), sampleSyncCheck()];
}

/** Runs `checks` in order; a check that throws becomes a failed result of its level. */
export async function runChecks(ctx: CheckContext, checks: readonly QualityCheck[]): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    try {
      results.push(...(await check.run(ctx)));
    } catch (err) {
      results.push({ check_name: check.name, level: check.level, status: check.level === 'error' ? 'fail' : 'warn', observed: null, threshold: null, details: `the check could not run: ${errorMessage(err).split('\n')[0]}` });
    }
  }
  return results;
}

/** Stores a build's results in `ops.dq_results` (after the build committed or rolled back). */
export async function recordChecks(wh: Warehouse, buildId: number, runAt: Date, results: readonly CheckResult[]): Promise<void> {
  if (results.length === 0) return;
  await wh.withConnection((conn) =>
    appendRows(conn, 'ops', 'dq_results', results.map((r) => [runAt, buildId, r.check_name, r.level, r.status, r.observed, r.threshold, r.details])),
  );
}
