import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../config/config.ts';
import type { Phase } from '../lib/context.ts';
import { fmtSeconds, runChild, summarise } from '../lib/measure.ts';

const PARLEY = path.join(PROJECT_ROOT, 'bin', 'parley.js');

/**
 * Full model build at the bench scale (time and peak memory of the process), then the
 * incremental build after one more day lands, each in a fresh `parley` process.
 */
export const buildPhase: Phase = {
  key: 'build',
  name: 'Model build: full and incremental',
  async run(ctx) {
    const env = { PARLEY_DB: ctx.config.dbPath, PARLEY_LANDING: ctx.landingDir };
    const cli = async (...args: string[]) => {
      const r = await runChild(process.execPath, [PARLEY, ...args], env, ctx.workDir);
      if (r.code !== 0) throw new Error(`parley ${args.join(' ')} failed: ${r.stderr.slice(-2000)}`);
      return r;
    };
    fs.rmSync(path.dirname(ctx.config.dbPath), { recursive: true, force: true });
    ctx.log('  loading every source (parley run)');
    const load = await cli('run');
    const fullRuns = [];
    for (let i = 0; i < ctx.repeats; i++) fullRuns.push(await cli('build', '--full'));
    const full = summarise(fullRuns.map((r) => r.seconds));
    const peak = Math.max(...fullRuns.map((r) => r.peakRssMb));

    // One new day: copy it into the landing folder, load it, build incrementally; restore between repeats.
    const snapshot = `${ctx.config.dbPath}.before-day`;
    fs.copyFileSync(ctx.config.dbPath, snapshot);
    const incRuns = [];
    for (let i = 0; i < ctx.repeats; i++) {
      fs.copyFileSync(snapshot, ctx.config.dbPath);
      fs.rmSync(`${ctx.config.dbPath}.wal`, { force: true });
      for (const sub of fs.readdirSync(ctx.nextDayDir)) {
        for (const f of fs.readdirSync(path.join(ctx.nextDayDir, sub))) fs.copyFileSync(path.join(ctx.nextDayDir, sub, f), path.join(ctx.landingDir, sub, f));
      }
      for (const source of ['whatsapp-cloud', 'scrm-events']) await cli('ingest', source);
      incRuns.push(await cli('build'));
      for (const sub of fs.readdirSync(ctx.nextDayDir)) for (const f of fs.readdirSync(path.join(ctx.nextDayDir, sub))) fs.rmSync(path.join(ctx.landingDir, sub, f));
    }
    fs.rmSync(snapshot, { force: true });
    const inc = summarise(incRuns.map((r) => r.seconds));
    const share = inc.median / full.median;
    return {
      phase: this.name,
      figures: [
        { name: 'first load: every source then build (parley run, one run)', value: `${load.seconds.toFixed(1)} s, peak ${load.peakRssMb.toFixed(0)} MB` },
        { name: 'full build (parley build --full, whole process)', value: fmtSeconds(full), bar: 'under 60 s', met: full.median < 60 },
        { name: 'peak memory of the full build process', value: `${peak.toFixed(0)} MB`, bar: 'under 2 GB', met: peak < 2048 },
        { name: 'incremental build after one new day (parley build)', value: fmtSeconds(inc) },
        { name: 'incremental / full', value: `${(share * 100).toFixed(1)}%`, bar: 'under 5%', met: share < 0.05 },
      ],
      notes: ['Build times include starting the parley process (loading its TypeScript: about 1 s on 2 idle cores, more under load; `parley --help` measures it) and closing the warehouse, as an operator sees them.'],
    };
  },
};
