import type { BuildResult } from '../../warehouse/model-runner.ts';
import { runModels } from '../../warehouse/model-runner.ts';
import { openWarehouse } from '../../warehouse/db.ts';
import type { TriggerResult } from '../../api/pipeline-trigger.ts';
import type { CliContext, Command } from '../command.ts';
import { createProgress } from '../progress.ts';
import { viaServer } from '../server-client.ts';

/** Prints a build's outcome, one line per model that failed or was skipped. */
export function reportBuild(ctx: CliContext, build: BuildResult): void {
  for (const r of build.results) {
    if (r.status !== 'success') ctx.err.write(`  ${r.status === 'error' ? 'ERROR  ' : 'SKIPPED'} ${r.model}: ${r.error}\n`);
  }
  const ok = build.results.filter((r) => r.status === 'success').length;
  ctx.err.write(`build ${build.buildId} ${build.status}: ${ok}/${build.results.length} models${build.full ? ' (full)' : ''} in ${(build.elapsedMs / 1000).toFixed(1)} s\n`);
}

/** Runs the models with progress; returns the build. */
export async function buildWithProgress(ctx: CliContext, full: boolean): Promise<BuildResult> {
  const wh = await openWarehouse(ctx.config);
  const progress = createProgress(ctx.err, 'build');
  const build = await runModels(wh, { full, onModel: (r, i, n) => progress.update(`${i + 1}/${n} ${r.model} ${r.status}${r.rows !== undefined ? ` (${r.rows.toLocaleString('en-US')} rows)` : ''}`) });
  progress.done(`${build.results.length} models run`);
  reportBuild(ctx, build);
  return build;
}

/** `parley build` (through the running server when there is one). */
export const buildCommand: Command = {
  name: 'build',
  summary: 'run the SQL models (incremental unless --full)',
  usage: 'parley build [--full]',
  options: { full: { type: 'boolean' } },
  async run({ values }, ctx) {
    const full = values.full === true;
    const build = await viaServer(
      ctx.config,
      async (server) => {
        ctx.err.write(`build: running on parley serve at ${server.url}\n`);
        const r = await server.request<TriggerResult>('POST', '/api/pipelines/build/run?wait=true', { full });
        if (r.build) reportBuild(ctx, r.build);
        return r.build;
      },
      () => buildWithProgress(ctx, full),
    );
    return build?.status === 'success' ? 0 : 1;
  },
};
