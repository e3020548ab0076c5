import { queryOn, runOn, type Warehouse } from './db.ts';
import { recordIdentity } from './identity/record-identity.ts';
import { loadModels, MODELS_DIR, upstreamOf, type Model } from './model-files.ts';
import { runModels, type BuildResult } from './model-runner.ts';
import { literal } from './values.ts';

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
  const all = loadModels(opts.modelsDir ?? MODELS_DIR);
  const select = messagesBuildModels(all);
  // Incremental models that find moved numbers in PHONE_CHANGES but are not built here.
  const missed = all.filter((m) => m.materialized === 'incremental' && m.dependsOn.includes(PHONE_CHANGES) && !select.includes(m.id)).map((m) => m.id);
  return runModels(wh, {
    modelsDir: opts.modelsDir,
    select,
    // Merges the identity models found are recorded at once: the complete build keeps those models unchanged.
    afterModels: async (conn, models) => {
      // Once recorded, the complete build no longer sees these numbers as changed: the incremental
      // models it would have told (fct_responses, agg_churn_weekly) are rebuilt whole instead.
      const [moved] = await queryOn<{ n: number }>(conn, `select count(*) as n from ${PHONE_CHANGES}`);
      if (Number(moved?.n ?? 0) > 0 && missed.length > 0) await runOn(conn, `delete from ops.model_state where model in (${missed.map(literal).join(', ')})`);
      await recordIdentity(conn, models);
    },
  });
}

/** Numbers whose customer changed since the merges last recorded (staging/int_customer_phone_changes.sql). */
const PHONE_CHANGES = 'staging.int_customer_phone_changes';
