import { buildWarehouse, type WarehouseBuild } from '../warehouse/build.ts';
import type { ModelResult } from '../warehouse/model-runner.ts';
import type { Warehouse } from '../warehouse/db.ts';
import { errorMessage } from '../config/parley-error.ts';
import { checkCrmSyncAccuracy, type SyncAccuracy } from './crm/sync-accuracy.ts';
import { runSource, type RunResult, type RunTotals, type RunTrigger } from './loader.ts';
import { purgeExpired } from './retention.ts';
import type { Logger } from './logger.ts';
import { SOURCES } from './registry.ts';
import type { Source } from './source.ts';

/** Callbacks for progress while everything runs. */
export interface RunAllProgress {
  onSource?: (source: string, totals: RunTotals) => void;
  onSourceDone?: (result: RunResult) => void;
  onModel?: (result: ModelResult, index: number, total: number) => void;
}

/** What one `runAll` did. */
export interface RunAllResult {
  readonly runs: RunResult[];
  readonly build: WarehouseBuild | null;
  /** Rows purged per table by PARLEY_RETENTION_DAYS. */
  readonly purged: Record<string, number>;
  /** The daily CRM sync check, when it was due. */
  readonly syncAccuracy: SyncAccuracy | null;
}

/**
 * Every source, then the retention purge (PARLEY_RETENTION_DAYS), then the build, then the
 * daily CRM sync check when due: what `parley run` and the scheduler do.
 */
export async function runAll(
  wh: Warehouse,
  opts: { trigger?: RunTrigger; log?: Logger; full?: boolean; sources?: readonly Source[]; signal?: AbortSignal; fetch?: typeof globalThis.fetch; now?: () => Date } & RunAllProgress = {},
): Promise<RunAllResult> {
  const runs: RunResult[] = [];
  for (const source of opts.sources ?? SOURCES) {
    if (opts.signal?.aborted) break;
    // A source that is not configured (crm-api without CRM_API_URL) is skipped, not failed.
    const unavailable = source.unavailable?.(wh.config);
    if (unavailable) {
      opts.log?.info(`${source.name}: skipped: ${unavailable}`);
      continue;
    }
    const result = await runSource(wh, source, { trigger: opts.trigger, log: opts.log, signal: opts.signal, fetch: opts.fetch, now: opts.now, onProgress: (t) => opts.onSource?.(source.name, t) });
    runs.push(result);
    opts.onSourceDone?.(result);
  }
  if (opts.signal?.aborted) return { runs, build: null, purged: {}, syncAccuracy: null };
  const purged = await purgeExpired(wh, { now: opts.now?.() });
  if (Object.keys(purged).length > 0) opts.log?.info('retention: purged chat history', purged);
  const build = await buildWarehouse(wh, { full: opts.full, onModel: opts.onModel });
  let syncAccuracy: SyncAccuracy | null = null;
  // The check compares with what the build made of the last pull; its failure never fails the run.
  if (!opts.sources || opts.sources.some((s) => s.name === 'crm-api')) {
    try {
      syncAccuracy = await checkCrmSyncAccuracy(wh, { fetch: opts.fetch, now: opts.now, log: opts.log });
    } catch (err) {
      opts.log?.warn(`crm sync check could not run: ${errorMessage(err)}`);
    }
  }
  return { runs, build, purged, syncAccuracy };
}
