import fs from 'node:fs';
import path from 'node:path';
import { writeDemo } from '../../pipelines/demo/write-demo.ts';
import { addDays } from '../../pipelines/demo/local-time.ts';
import type { BenchContext, Phase, PhaseResult } from '../lib/context.ts';

/** The last day of the demo window; the data ends the day before (fixed so runs compare). */
export const BENCH_END = '2026-11-23';

/**
 * Generates the demo data set at the chosen scale plus one extra day, and moves that
 * last day's files aside (they are the "one new day" of the incremental build).
 */
export const generatePhase: Phase = {
  key: 'generate',
  aliases: ['generation'],
  name: 'Demo generation',
  async run(ctx) {
    fs.rmSync(ctx.landingDir, { recursive: true, force: true });
    fs.rmSync(ctx.nextDayDir, { recursive: true, force: true });
    if (ctx.reuseLanding) return reuse(ctx);
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

/** Hard-links an earlier generation's landing files (`--landing DIR`), the last day aside. */
function reuse(ctx: BenchContext): PhaseResult {
  const src = ctx.reuseLanding!;
  let files = 0;
  let bytes = 0;
  let lastDay = '';
  // Folders are recreated and files hard-linked, at any depth (the CRM exports sit in crm/<system>/).
  const link = (rel: string): void => {
    const from = path.join(src, rel);
    if (fs.statSync(from).isDirectory()) {
      fs.mkdirSync(path.join(ctx.landingDir, rel), { recursive: true });
      for (const f of fs.readdirSync(from)) link(path.join(rel, f));
      return;
    }
    fs.linkSync(from, path.join(ctx.landingDir, rel));
    files++;
    bytes += fs.statSync(from).size;
    const day = /^whatsapp\/[^/]*(\d{4}-\d{2}-\d{2})\.ndjson$/.exec(rel)?.[1];
    if (day && day > lastDay) lastDay = day;
  };
  for (const sub of fs.readdirSync(src)) link(sub);
  for (const [sub, prefix] of [['whatsapp', 'wa'], ['scrm', 'scrm']] as const) {
    fs.mkdirSync(path.join(ctx.nextDayDir, sub), { recursive: true });
    const name = `${prefix}-${lastDay}.ndjson`;
    if (fs.existsSync(path.join(ctx.landingDir, sub, name))) fs.renameSync(path.join(ctx.landingDir, sub, name), path.join(ctx.nextDayDir, sub, name));
  }
  return {
    phase: generatePhase.name,
    figures: [{ name: `landing files reused from ${src} (not generated in this run; last day ${lastDay} set aside as the new day)`, value: `${files} files, ${(bytes / 1e9).toFixed(2)} GB` }],
    notes: ['Generation was not timed in this run: the landing files of an earlier `parley demo` generation were reused with --landing.'],
  };
}
