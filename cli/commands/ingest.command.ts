import fs from 'node:fs';
import path from 'node:path';
import { PipelineError } from '../../pipelines/errors.ts';
import { runSource, type RunResult } from '../../pipelines/loader.ts';
import { getSource, SOURCES } from '../../pipelines/registry.ts';
import { openWarehouse } from '../../warehouse/db.ts';
import type { TriggerResult } from '../../api/pipeline-trigger.ts';
import type { CliContext, Command } from '../command.ts';
import { UsageError } from '../errors.ts';
import { createProgress } from '../progress.ts';
import { viaServer } from '../server-client.ts';

/** Prints a one-line summary of a run. */
export function describeRun(r: RunResult): string {
  const counters = Object.entries(r.counters).filter(([k]) => !['messages', 'statuses'].includes(k)).map(([k, v]) => `, ${v} ${k.replaceAll('_', ' ')}`).join('');
  const base = `read ${r.rowsRead.toLocaleString('en-US')}, loaded ${r.rowsLoaded.toLocaleString('en-US')}, quarantined ${r.rowsQuarantined.toLocaleString('en-US')}${counters} (run ${r.runId}, ${(r.elapsedMs / 1000).toFixed(1)} s)`;
  return r.status === 'success' ? base : `FAILED: ${r.error} — ${base}; the failed batch was rolled back and its cursor kept`;
}

/** Runs one source with CLI progress and returns the exit code. */
export async function ingestWithProgress(ctx: CliContext, name: string, opts: { path?: string; options?: Record<string, string> } = {}): Promise<number> {
  const source = getSource(name);
  const unavailable = source.unavailable?.(ctx.config);
  if (unavailable) throw new PipelineError('PIPE_NOT_CONFIGURED', unavailable);
  const wh = await openWarehouse(ctx.config);
  const progress = createProgress(ctx.err, source.name);
  const result = await runSource(wh, source, {
    trigger: 'cli',
    path: opts.path,
    options: opts.options,
    log: ctx.log,
    signal: ctx.signal,
    onProgress: (t) => progress.update(`${t.rowsRead.toLocaleString('en-US')} records read, ${t.rowsQuarantined} quarantined`),
  });
  progress.done(describeRun(result));
  for (const note of result.notes) ctx.err.write(`  note: ${note}\n`);
  return result.status === 'success' ? 0 : 1;
}

/** `parley ingest <source>` (through the running server when there is one). */
export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'run one source into the warehouse (new records only)',
  usage: `parley ingest <${SOURCES.map((s) => s.name).join('|')}> [--path FILE_OR_DIR] [--business NAME] [--date-order dmy|mdy|ymd] [--tz ZONE]`,
  options: { path: { type: 'string' }, business: { type: 'string' }, 'date-order': { type: 'string' }, tz: { type: 'string' } },
  async run({ positionals, values }, ctx) {
    if (positionals.length !== 1) throw new UsageError(`ingest takes one source name: ${SOURCES.map((s) => s.name).join(', ')}.`);
    const options: Record<string, string> = {};
    for (const key of ['business', 'date-order', 'tz']) if (typeof values[key] === 'string') options[key] = values[key] as string;
    const source = getSource(positionals[0]!);
    const name = source.name;
    // The server reads the path itself: make it absolute from where the CLI runs.
    const file = typeof values.path === 'string' ? path.resolve(values.path) : undefined;
    if (file !== undefined && !fs.existsSync(file)) throw new UsageError(`--path ${values.path as string} does not exist; give a file or a folder.`);
    source.checkOptions?.(options, ctx.config);
    return viaServer(
      ctx.config,
      async (server) => {
        ctx.err.write(`${name}: running on parley serve at ${server.url}\n`);
        const r = await server.request<TriggerResult>('POST', `/api/pipelines/${encodeURIComponent(name)}/run?wait=true`, { path: file, options });
        const run = r.runs[0]!;
        ctx.err.write(`${name}: ${describeRun(run)}\n`);
        return run.status === 'success' ? 0 : 1;
      },
      () => ingestWithProgress(ctx, name, { path: file, options }),
    );
  },
};
