import { runSource, type RunResult } from '../pipelines/loader.ts';
import { SOURCES } from '../pipelines/registry.ts';
import { runAll } from '../pipelines/run-all.ts';
import type { WarehouseBuild } from '../warehouse/build.ts';
import type { AppContext } from './app-context.ts';
import { ApiError } from './errors.ts';

/** What a manual run may carry. */
export interface TriggerBody {
  /** Rebuild incremental models from scratch (build and all). */
  readonly full?: boolean;
  /** A file or folder on the server to read instead of the landing folder (one source). */
  readonly path?: string;
  /** Source options, e.g. `{"business": "Shop"}`. */
  readonly options?: Readonly<Record<string, string>>;
}

/** What a manual run did. */
export interface TriggerResult {
  readonly name: string;
  readonly runs: RunResult[];
  readonly build: WarehouseBuild | null;
  /** For scheduler jobs: ran, or skipped because it was already running. */
  readonly job: 'ran' | 'skipped' | null;
}

/** Names `POST /api/pipelines/:name/run` takes. */
export function triggerNames(ctx: Pick<AppContext, 'scheduler'>): string[] {
  return ['all', 'build', ...SOURCES.map((s) => s.name), ...(ctx.scheduler?.names() ?? [])];
}

/**
 * Checks a manual run can start now: the name exists and the same pipeline is not running
 * (a source or a scheduler job already running answers 409; builds queue instead, because
 * a build asked for now must see the data committed now).
 */
export function checkTrigger(ctx: AppContext, name: string): void {
  if (!triggerNames(ctx).includes(name)) throw new ApiError('API_NOT_FOUND', `Unknown pipeline "${name}". Pipelines: ${triggerNames(ctx).join(', ')}.`);
  const busy = (source: string) => ctx.wh.locks.isHeld(`source:${source}`);
  const source = SOURCES.find((s) => s.name === name);
  if (source && busy(source.name)) throw new ApiError('API_PIPELINE_BUSY', `${name} is already running; wait for it to finish.`);
  if (name === 'all' && SOURCES.some((s) => busy(s.name))) throw new ApiError('API_PIPELINE_BUSY', `A source is already running (${SOURCES.filter((s) => busy(s.name)).map((s) => s.name).join(', ')}); wait for it to finish.`);
  if (ctx.scheduler?.names().includes(name) && ctx.scheduler.state().find((j) => j.name === name)?.running) throw new ApiError('API_PIPELINE_BUSY', `Job ${name} is already running; wait for it to finish.`);
}

/** Runs a pipeline by name: one source, `build`, `all` (every source then the build) or a scheduler job. */
export async function runTrigger(ctx: AppContext, name: string, body: TriggerBody): Promise<TriggerResult> {
  const signal = ctx.background.signal;
  const log = ctx.log;
  if (name === 'build') {
    // runAll with no sources: the same build step as the scheduler and `parley run`.
    const { build } = await runAll(ctx.wh, { trigger: 'api', sources: [], full: body.full === true, log, signal });
    return { name, runs: [], build, job: null };
  }
  if (name === 'all') {
    const { runs, build } = await runAll(ctx.wh, { trigger: 'api', full: body.full === true, log, signal });
    return { name, runs, build, job: null };
  }
  const source = SOURCES.find((s) => s.name === name);
  if (source) {
    const run = await runSource(ctx.wh, source, { trigger: 'api', path: body.path, options: body.options, log, signal });
    return { name, runs: [run], build: null, job: null };
  }
  return { name, runs: [], build: null, job: await ctx.scheduler!.trigger(name, 'manual') };
}
