import { runModels, type BuildOptions, type BuildResult } from '../warehouse/model-runner.ts';
import type { Warehouse } from '../warehouse/db.ts';
import { recordIdentity } from './identity/record-identity.ts';

type AfterModelsArgs = Parameters<NonNullable<BuildOptions['afterModels']>>;

/**
 * The build `parley build`, `parley run` and the scheduler run: the SQL models, then the
 * build steps written in TS (identity merges and review-queue records), then the caller's
 * own `afterModels`.
 */
export function buildWarehouse(wh: Warehouse, opts: BuildOptions = {}): Promise<BuildResult> {
  return runModels(wh, {
    ...opts,
    afterModels: async (...args: AfterModelsArgs) => {
      await recordIdentity(args[0], args[1]);
      await opts.afterModels?.(...args);
    },
  });
}
