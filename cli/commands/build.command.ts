import { buildWarehouse, type WarehouseBuild } from '../../warehouse/build.ts';
import { openWarehouse } from '../../warehouse/db.ts';
import type { TriggerResult } from '../../api/pipeline-trigger.ts';
import type { CliContext, Command } from '../command.ts';
import { createProgress } from '../progress.ts';
import { viaServer } from '../server-client.ts';

/** Prints a build's outcome: failed or skipped models, the data-quality summary with every warning and failure, and the total. */
export function reportBuild(ctx: CliContext, build: WarehouseBuild): void {
  for (const r of build.results) {
    if (r.status !== 'success') ctx.err.write(`  ${r.status === 'error' ? 'ERROR  ' : 'SKIPPED'} ${r.model}: ${r.error}\n`);
  }
  for (const s of build.steps) ctx.err.write(`  step ${s.name}: ${s.rows.toLocaleString('en-US')} rows in ${(s.elapsedMs / 1000).toFixed(1)} s\n`);
  if (build.checks.length > 0) {
    const count = (status: string) => build.checks.filter((c) => c.status === status).length;
    ctx.err.write(`quality: ${count('pass')} passed, ${count('warn')} warning${count('warn') === 1 ? '' : 's'}, ${count('fail')} failed${count('skipped') ? `, ${count('skipped')} skipped` : ''} (ops.dq_results, build ${build.buildId})\n`);
    for (const c of build.checks) {
      if (c.status === 'warn' || c.status === 'fail') ctx.err.write(`  ${c.status === 'fail' ? 'FAIL' : 'WARN'} ${c.check_name}: ${c.details}\n`);
    }
  }
  if (build.rolledBack) ctx.err.write('  the build was rolled back: the marts are as they were before it\n');
  const ok = build.results.filter((r) => r.status === 'success').length;
  const kept = build.results.filter((r) => r.strategy === 'unchanged').length;
  ctx.err.write(`build ${build.buildId} ${build.status}: ${ok}/${build.results.length} models${build.full ? ' (full)' : ''}${kept > 0 ? ` (${kept} unchanged, kept)` : ''} in ${(build.elapsedMs / 1000).toFixed(1)} s\n`);
}

/** Runs the models, build steps and quality checks with progress; returns the build. */
export async function buildWithProgress(ctx: CliContext, full: boolean): Promise<WarehouseBuild> {
  const wh = await openWarehouse(ctx.config);
  const progress = createProgress(ctx.err, 'build');
  const build = await buildWarehouse(wh, { full, signal: ctx.signal, onModel: (r, i, n) => progress.update(`${i + 1}/${n} ${r.model} ${r.status}${r.rows !== undefined ? ` (${r.rows.toLocaleString('en-US')} rows)` : ''}`) });
  progress.done(`${build.results.length} models run`);
  reportBuild(ctx, build);
  return build;
}

/** `parley build` (through the running server when there is one). */
export const buildCommand: Command = {
  name: 'build',
  summary: 'run the SQL models and data-quality checks (incremental unless --full)',
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
