import { INTERRUPTED, runModels, type BuildOptions, type BuildResult, type ModelResult } from './model-runner.ts';
import type { Warehouse } from './db.ts';
import { WarehouseError } from './errors.ts';
import type { CheckResult, QualityCheck } from './quality/check.ts';
import { defaultChecks, recordChecks, runChecks } from './quality/run-checks.ts';
import { recordIdentity } from './identity/record-identity.ts';
import { writeStaffingMart } from './staffing/staffing.ts';

/** A build with its data-quality results. */
export interface WarehouseBuild extends BuildResult {
  readonly checks: readonly CheckResult[];
  /** Build steps written in TS that ran after the models (rolled back with them on failure). */
  readonly steps: readonly { readonly name: string; readonly rows: number; readonly elapsedMs: number }[];
}

/** Options of a warehouse build. */
export interface WarehouseBuildOptions extends Omit<BuildOptions, 'afterModels'> {
  /** The checks to run (default: `defaultChecks`). */
  readonly checks?: readonly QualityCheck[];
  /** The clock freshness is measured against. */
  readonly now?: () => Date;
}

/** Models whose tables the staffing step reads. */
const STAFFING_INPUTS = ['marts.agg_hourly_activity_weekly', 'marts.fct_responses'];

/**
 * The build every caller should use (`parley build`, `parley run`, the scheduler): the SQL
 * models, then the steps written in TS (identity merges and review-queue records in ops, the
 * staffing mart), then the data-quality checks,
 * all in one transaction. When an error-level check fails, everything is rolled back —
 * readers keep the previous marts — and the build fails. The checks' results are stored in
 * `ops.dq_results` either way.
 */
export async function buildWarehouse(wh: Warehouse, opts: WarehouseBuildOptions = {}): Promise<WarehouseBuild> {
  const now = opts.now ?? (() => new Date());
  const checks = opts.checks ?? defaultChecks(opts.modelsDir);
  let results: CheckResult[] = [];
  let steps: WarehouseBuild['steps'] = [];
  let runAt = now();
  const build = await runModels(wh, {
    ...opts,
    afterModels: async (conn, models, ctx) => {
      steps = [];
      const t = performance.now();
      const identity = await recordIdentity(conn, models, ctx.models);
      steps = [{ name: 'ops.customer_merges + ops.review_queue', rows: identity.merges + identity.reviews, elapsedMs: performance.now() - t }];
      if (builtAll(models, STAFFING_INPUTS)) {
        const t0 = performance.now();
        const rows = await writeStaffingMart(conn, wh.config);
        steps = [...steps, { name: 'marts.agg_staffing_hourly', rows, elapsedMs: performance.now() - t0 }];
      }
      runAt = now();
      results = await runChecks({ conn, config: wh.config, buildId: ctx.buildId, snapshotLoadId: ctx.snapshotLoadId, now: runAt, models, mergedRows: ctx.mergedRows, definitions: ctx.models }, checks);
      const failed = results.filter((r) => r.status === 'fail');
      if (failed.length > 0) {
        throw new WarehouseError('WH_QUALITY_FAILED', `${failed.length} error-level data-quality check${failed.length === 1 ? '' : 's'} failed: ${failed.map((r) => `${r.check_name} (${r.details})`).join('; ')}`);
      }
    },
  });
  // Checks cut short by an interrupt say nothing about the data: they are not stored.
  if (build.error !== INTERRUPTED) await recordChecks(wh, build.buildId, runAt, results);
  return { ...build, checks: results, steps };
}

function builtAll(models: readonly ModelResult[], ids: readonly string[]): boolean {
  return ids.every((id) => models.some((m) => m.model === id && m.status === 'success'));
}
