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

/**
 * Hard-links an earlier generation's landing files (`--landing DIR`), the last day aside. A
 * bench work folder's `landing` (`<work>/landing`) already has its last day set aside in
 * `<work>/next-day`: that day is reused as the new day as it is, so reusing a bench run's data
 * gives the same days as that run (setting aside its last remaining day would drop one more).
 */
function reuse(ctx: BenchContext): PhaseResult {
  const src = ctx.reuseLanding!;
  const benchNextDay = path.join(path.dirname(src), 'next-day');
  const fromBench = path.basename(src) === 'landing' && fs.existsSync(benchNextDay);
  let files = 0;
  let bytes = 0;
  let lastDay = '';
  // Folders are recreated and files hard-linked, at any depth (the CRM exports sit in crm/<system>/).
  const link = (fromRoot: string, toRoot: string, rel: string): void => {
    const from = path.join(fromRoot, rel);
    if (fs.statSync(from).isDirectory()) {
      fs.mkdirSync(path.join(toRoot, rel), { recursive: true });
      for (const f of fs.readdirSync(from)) link(fromRoot, toRoot, path.join(rel, f));
      return;
    }
    fs.linkSync(from, path.join(toRoot, rel));
    files++;
    bytes += fs.statSync(from).size;
    const day = /^whatsapp\/[^/]*(\d{4}-\d{2}-\d{2})\.ndjson$/.exec(rel)?.[1];
    if (day && day > lastDay) lastDay = day;
  };
  for (const sub of fs.readdirSync(src)) link(src, ctx.landingDir, sub);
  if (fromBench) {
    for (const sub of fs.readdirSync(benchNextDay)) link(benchNextDay, ctx.nextDayDir, sub);
  } else {
    for (const [sub, prefix] of [['whatsapp', 'wa'], ['scrm', 'scrm']] as const) {
      fs.mkdirSync(path.join(ctx.nextDayDir, sub), { recursive: true });
      const name = `${prefix}-${lastDay}.ndjson`;
      if (fs.existsSync(path.join(ctx.landingDir, sub, name))) fs.renameSync(path.join(ctx.landingDir, sub, name), path.join(ctx.nextDayDir, sub, name));
    }
  }
  const aside = fromBench ? `its new day ${lastDay} from ${benchNextDay}` : `last day ${lastDay} set aside as the new day`;
  return {
    phase: generatePhase.name,
    figures: [{ name: `landing files reused from ${src} (not generated in this run; ${aside})`, value: `${files} files, ${(bytes / 1e9).toFixed(2)} GB` }],
    notes: ['Generation was not timed in this run: the landing files of an earlier generation were reused with --landing.'],
  };
}
