import type { BuildResult, ModelResult } from '../warehouse/model-runner.ts';
import { buildWarehouse } from './build-warehouse.ts';
import type { Warehouse } from '../warehouse/db.ts';
import { runSource, type RunResult, type RunTotals, type RunTrigger } from './loader.ts';
import type { Logger } from './logger.ts';
import { SOURCES } from './registry.ts';
import type { Source } from './source.ts';

/** Callbacks for progress while everything runs. */
export interface RunAllProgress {
  onSource?: (source: string, totals: RunTotals) => void;
  onSourceDone?: (result: RunResult) => void;
  onModel?: (result: ModelResult, index: number, total: number) => void;
}

/** Every source, then the build: what `parley run` and the scheduler do. */
export async function runAll(
  wh: Warehouse,
  opts: { trigger?: RunTrigger; log?: Logger; full?: boolean; sources?: readonly Source[]; signal?: AbortSignal } & RunAllProgress = {},
): Promise<{ runs: RunResult[]; build: BuildResult | null }> {
  const runs: RunResult[] = [];
  for (const source of opts.sources ?? SOURCES) {
    if (opts.signal?.aborted) break;
    // A source that is not configured (crm-api without CRM_API_URL) is skipped, not failed.
    const unavailable = source.unavailable?.(wh.config);
    if (unavailable) {
      opts.log?.info(`${source.name}: skipped: ${unavailable}`);
      continue;
    }
    const result = await runSource(wh, source, { trigger: opts.trigger, log: opts.log, signal: opts.signal, onProgress: (t) => opts.onSource?.(source.name, t) });
    runs.push(result);
    opts.onSourceDone?.(result);
  }
  if (opts.signal?.aborted) return { runs, build: null };
  const build = await buildWarehouse(wh, { full: opts.full, onModel: opts.onModel });
  return { runs, build };
}
