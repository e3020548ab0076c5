import type { Warehouse } from './db.ts';
import { recordIdentity } from './identity/record-identity.ts';
import { loadModels, MODELS_DIR, upstreamOf, type Model } from './model-files.ts';
import { runModels, type BuildResult } from './model-runner.ts';

/** The mart a webhook delivery has to reach quickly. */
export const MESSAGES_MART = 'marts.fct_messages';

/**
 * `marts.fct_messages` and every model it reads, directly or not. Those a delivery did not
 * change (CRM staging, ...) are kept by the input tracking at the cost of a fingerprint;
 * they are selected anyway so that the first build of a new warehouse has them.
 */
export function messagesBuildModels(models: readonly Model[]): string[] {
  return [MESSAGES_MART, ...upstreamOf(MESSAGES_MART, models)].sort();
}

/**
 * The fast build after webhook deliveries: only the models that carry new payloads into
 * `marts.fct_messages` (each still skipped when its inputs did not change), then the
 * identity step, in one transaction. No other mart, no staffing step and no data-quality
 * checks: the complete build (`buildWarehouse`) that follows does those (docs/builds.md).
 */
export async function buildMessages(wh: Warehouse, opts: { modelsDir?: string } = {}): Promise<BuildResult> {
  const select = messagesBuildModels(loadModels(opts.modelsDir ?? MODELS_DIR));
  return runModels(wh, {
    modelsDir: opts.modelsDir,
    select,
    // Merges the identity models found are recorded at once (and the merge state of the
    // incremental models not built here dropped): the complete build keeps those models unchanged.
    afterModels: async (conn, results, ctx) => {
      await recordIdentity(conn, results, ctx.models);
    },
  });
}
