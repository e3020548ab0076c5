import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { configFor } from '../config/config.ts';
import { SCALES, type BenchContext, type Phase, type PhaseResult, type ScaleName } from './lib/context.ts';
import { renderResults, runHeader } from './lib/results.ts';
import { generatePhase } from './phases/generate.bench.ts';
import { ingestPhase } from './phases/ingest.bench.ts';
import { buildPhase } from './phases/build.bench.ts';
import { apiPhase } from './phases/api.bench.ts';
import { freshnessPhase } from './phases/freshness.bench.ts';
import { bundlePhase } from './phases/bundle.bench.ts';
import { peerPhase } from './phases/peer.bench.ts';

/** Every phase, in the order they run (later phases reuse what earlier ones built). */
export const PHASES: readonly Phase[] = [generatePhase, ingestPhase, buildPhase, apiPhase, peerPhase, freshnessPhase, bundlePhase];

/**
 * `npm run bench [-- --scale S|M] [--out FILE] [--work DIR] [--repeats N] [--only name,...] [--landing DIR]`:
 * measures Parley side by side with its baselines and writes the results as Markdown.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { scale: { type: 'string', default: 'M' }, out: { type: 'string' }, work: { type: 'string' }, repeats: { type: 'string' }, only: { type: 'string' }, landing: { type: 'string' } },
  });
  const scale = String(values.scale).toUpperCase() as ScaleName;
  if (!(scale in SCALES)) {
    console.error(`--scale must be one of ${Object.keys(SCALES).join(', ')}`);
    return 2;
  }
  const workDir = path.resolve(values.work ?? path.join(os.tmpdir(), `parley-bench-${scale}`));
  fs.mkdirSync(workDir, { recursive: true });
  const out = path.resolve(values.out ?? path.join('bench', scale === 'M' ? 'RESULTS.md' : `RESULTS-${scale}.md`));
  const only = values.only ? String(values.only).split(',') : undefined;
  const ctx: BenchContext = {
    scale,
    ...SCALES[scale],
    workDir,
    landingDir: path.join(workDir, 'landing'),
    nextDayDir: path.join(workDir, 'next-day'),
    config: configFor(path.join(workDir, 'warehouse'), { PARLEY_LANDING: path.join(workDir, 'landing') }),
    repeats: Number(values.repeats ?? 3),
    reuseLanding: values.landing ? path.resolve(String(values.landing)) : undefined,
    log: (line) => console.error(line),
  };
  const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
  const results: PhaseResult[] = [];
  for (const phase of PHASES) {
    if (only && !only.some((o) => phase.name.toLowerCase().includes(o.toLowerCase()))) continue;
    ctx.log(`== ${phase.name}`);
    const t0 = performance.now();
    try {
      results.push(await phase.run(ctx));
    } catch (err) {
      results.push({ phase: phase.name, figures: [], skipped: `failed: ${(err as Error).message}` });
    }
    ctx.log(`   done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    fs.writeFileSync(out, renderResults(`Parley benchmarks, scale ${scale}`, runHeader(command), results));
  }
  console.error(`results written to ${out}`);
  return results.some((r) => r.skipped?.startsWith('failed')) ? 1 : 0;
}

process.exitCode = await main();
