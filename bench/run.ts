import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { configFor } from '../config/config.ts';
import { SCALES, type BenchContext, type Phase, type PhaseResult, type ScaleName } from './lib/context.ts';
import { renderResults, runHeader } from './lib/results.ts';
import { landingProblem, selectPhases, UnknownPhaseError } from './lib/select-phases.ts';
import { PHASES } from './phases/index.ts';

/**
 * `npm run bench [-- --scale S|M] [--out FILE] [--work DIR] [--repeats N] [--only key,...] [--landing DIR]`:
 * measures Parley side by side with its baselines and writes the results as Markdown.
 * `--only` takes phase keys (generate, ingest, build, api, peer, freshness, bundle), exactly.
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
  const repeats = Number(values.repeats ?? 3);
  if (!Number.isInteger(repeats) || repeats < 1) {
    console.error(`--repeats must be a whole number of at least 1 (got ${values.repeats})`);
    return 2;
  }
  let phases: Phase[];
  try {
    phases = selectPhases(PHASES, values.only);
  } catch (err) {
    if (!(err instanceof UnknownPhaseError)) throw err;
    console.error(err.message);
    return 2;
  }
  const workDir = path.resolve(values.work ?? path.join(os.tmpdir(), `parley-bench-${scale}`));
  const landingDir = path.join(workDir, 'landing');
  const reuseLanding = values.landing ? path.resolve(String(values.landing)) : undefined;
  const problem = landingProblem(phases, { reuseLanding, landingDir, landingExists: fs.existsSync(landingDir) });
  if (problem) {
    console.error(problem);
    return 2;
  }
  fs.mkdirSync(workDir, { recursive: true });
  const out = path.resolve(values.out ?? path.join('bench', scale === 'M' ? 'RESULTS.md' : `RESULTS-${scale}.md`));
  const ctx: BenchContext = {
    scale,
    ...SCALES[scale],
    workDir,
    landingDir,
    nextDayDir: path.join(workDir, 'next-day'),
    config: configFor(path.join(workDir, 'warehouse'), { PARLEY_LANDING: landingDir }),
    repeats,
    reuseLanding,
    log: (line) => console.error(line),
  };
  const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
  const results: PhaseResult[] = [];
  for (const phase of phases) {
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
