import { runAll } from '../../pipelines/run-all.ts';
import { openWarehouse } from '../../warehouse/db.ts';
import type { TriggerResult } from '../../api/pipeline-trigger.ts';
import type { Command } from '../command.ts';
import { createProgress } from '../progress.ts';
import { viaServer } from '../server-client.ts';
import { reportBuild } from './build.command.ts';
import { describeRun } from './ingest.command.ts';

/** `parley run`: every source, then the build (through the running server when there is one). */
export const runCommand: Command = {
  name: 'run',
  summary: 'run every source, then the build (what the scheduler does)',
  usage: 'parley run [--full]',
  options: { full: { type: 'boolean' } },
  async run({ values }, ctx) {
    const full = values.full === true;
    const { runs, build } = await viaServer(
      ctx.config,
      async (server) => {
        ctx.err.write(`run: running on parley serve at ${server.url}\n`);
        const r = await server.request<TriggerResult>('POST', '/api/pipelines/all/run?wait=true', { full });
        for (const run of r.runs) ctx.err.write(`run: ${run.source}: ${describeRun(run)}\n`);
        return { runs: r.runs, build: r.build };
      },
      async () => {
        const wh = await openWarehouse(ctx.config);
        const progress = createProgress(ctx.err, 'run');
        return runAll(wh, {
          trigger: 'cli',
          full,
          log: ctx.log,
          signal: ctx.signal,
          onSource: (name, t) => progress.update(`${name}: ${t.rowsRead.toLocaleString('en-US')} records read`),
          onSourceDone: (r) => progress.done(`${r.source}: ${describeRun(r)}`),
          onModel: (r, i, n) => progress.update(`build ${i + 1}/${n} ${r.model}`),
        });
      },
    );
    if (build) reportBuild(ctx, build);
    return runs.every((r) => r.status === 'success') && build?.status === 'success' ? 0 : 1;
  },
};
