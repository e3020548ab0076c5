import type { DuckDBConnection } from '@duckdb/node-api';
import type { Config } from '../../config/config.ts';
import type { Model } from '../model-files.ts';
import type { ModelResult } from '../model-runner.ts';

/** What a failure of a check means: `warn` is reported, `error` fails the build and keeps the previous marts. */
export type CheckLevel = 'warn' | 'error';

/** pass; warn (a warning: a warn-level check failed or a warning threshold was crossed); fail (an error-level check failed); skipped. */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skipped';

/** One outcome, stored as a row of `ops.dq_results`. */
export interface CheckResult {
  readonly check_name: string;
  readonly level: CheckLevel;
  readonly status: CheckStatus;
  /** What was measured: offending rows, hours of age, mismatches... */
  readonly observed: number | null;
  /** The limit `observed` was held to. */
  readonly threshold: number | null;
  readonly details: string;
}

/** What a check runs with: the build's connection, inside its transaction. */
export interface CheckContext {
  readonly conn: DuckDBConnection;
  readonly config: Config;
  readonly buildId: number;
  readonly snapshotLoadId: number;
  readonly now: Date;
  /** The build's model results (e.g. to check only the new rows of incremental models). */
  readonly models: readonly ModelResult[];
  /** Temp tables (on `conn`) of the rows each incremental merge inserted, by model id (AfterModelsContext.mergedRows). */
  readonly mergedRows?: ReadonlyMap<string, string>;
  /** Every model's definition (the models folder), to know how a model merges. */
  readonly definitions?: readonly Model[];
}

/** A data-quality check: one definition may yield several results (e.g. one per source). */
export interface QualityCheck {
  readonly name: string;
  readonly level: CheckLevel;
  run(ctx: CheckContext): Promise<CheckResult[]>;
}

/** The status of a result: pass when `ok`, otherwise warn or fail by level. */
export function statusFor(ok: boolean, level: CheckLevel): CheckStatus {
  return ok ? 'pass' : level === 'error' ? 'fail' : 'warn';
}
