import fs from 'node:fs';
import path from 'node:path';
import { writeDemo } from '../../pipelines/demo/write-demo.ts';
import { addDays } from '../../pipelines/demo/local-time.ts';
import type { Phase } from '../lib/context.ts';

/** The last day of the demo window; the data ends the day before (fixed so runs compare). */
export const BENCH_END = '2026-11-23';

/**
 * Generates the demo data set at the chosen scale plus one extra day, and moves that
 * last day's files aside (they are the "one new day" of the incremental build).
 */
export const generatePhase: Phase = {
  name: 'Demo generation',
  async run(ctx) {
    fs.rmSync(ctx.landingDir, { recursive: true, force: true });
    fs.rmSync(ctx.nextDayDir, { recursive: true, force: true });
    const t0 = performance.now();
    const summary = writeDemo({ days: ctx.days + 1, customers: ctx.customers, seed: 1, end: BENCH_END, tz: 'Asia/Hong_Kong' }, ctx.landingDir, (day, days) => {
      if (day % 30 === 0) ctx.log(`  generated day ${day}/${days}`);
    });
    const seconds = (performance.now() - t0) / 1000;
    const lastDay = addDays(BENCH_END, -1);
    for (const [sub, prefix] of [['whatsapp', 'wa'], ['scrm', 'scrm']] as const) {
      fs.mkdirSync(path.join(ctx.nextDayDir, sub), { recursive: true });
      const name = `${prefix}-${lastDay}.ndjson`;
      fs.renameSync(path.join(ctx.landingDir, sub, name), path.join(ctx.nextDayDir, sub, name));
    }
    return {
      phase: this.name,
      figures: [
        { name: `generate ${ctx.days + 1} days, ${ctx.customers.toLocaleString('en-US')} customers`, value: `${seconds.toFixed(1)} s (one run)` },
        { name: 'messages', value: summary.messages.toLocaleString('en-US') },
        { name: 'landing files', value: `${summary.files} files, ${(summary.bytes / 1e9).toFixed(2)} GB` },
        { name: 'throughput', value: `${Math.round(summary.messages / seconds).toLocaleString('en-US')} messages/s` },
      ],
    };
  },
};
