import path from 'node:path';
import { writeDemo } from '../../pipelines/demo/write-demo.ts';
import { localToday } from '../../pipelines/demo/local-time.ts';
import type { Command } from '../command.ts';
import { intOption, UsageError } from '../errors.ts';
import { createProgress } from '../progress.ts';

/** `parley demo`: writes demo landing files. */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'write a realistic demo data set (webhooks, SCRM events, ...) to the landing folder',
  usage: 'parley demo [--days 90] [--customers 2000] [--seed 1] [--end YYYY-MM-DD] [--out DIR]',
  options: { days: { type: 'string' }, customers: { type: 'string' }, seed: { type: 'string' }, end: { type: 'string' }, out: { type: 'string' } },
  async run({ values }, ctx) {
    const days = intOption(values, 'days', 90);
    const customers = intOption(values, 'customers', 2000);
    const seed = intOption(values, 'seed', 1, 0);
    const end = (values.end as string | undefined) ?? localToday(ctx.config.tz);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(end) || Number.isNaN(Date.parse(end))) throw new UsageError(`--end must be a date like 2026-11-28 (got "${end}").`);
    const out = path.resolve((values.out as string | undefined) ?? ctx.config.landingDir);
    const progress = createProgress(ctx.err, 'demo');
    const summary = writeDemo({ days, customers, seed, end, tz: ctx.config.tz }, out, (day, total, messages) => progress.update(`day ${day}/${total}, ${messages.toLocaleString('en-US')} webhook lines`));
    progress.done(
      `wrote ${summary.files} files (${(summary.bytes / 1e6).toFixed(1)} MB) to ${out}: ${summary.messages.toLocaleString('en-US')} messages, ${summary.customers.toLocaleString('en-US')} customers, ${summary.deals.toLocaleString('en-US')} deals in ${(summary.elapsedMs / 1000).toFixed(1)} s`,
    );
    return 0;
  },
};
