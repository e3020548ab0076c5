import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { PROJECT_ROOT } from '../../config/config.ts';
import type { Phase } from '../lib/context.ts';

const DIST = path.join(PROJECT_ROOT, 'dashboard', 'dist');

/** Every file under a folder. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Raw and gzip (level 9, as a static server would precompress) sizes of the given files. */
function sizes(files: readonly string[]): { raw: number; gzip: number } {
  let raw = 0;
  let gzip = 0;
  for (const f of files) {
    const bytes = fs.readFileSync(f);
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gzip };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;

/** Gzip sizes of the built dashboard's JS and CSS (builds `dashboard/dist` first when missing). */
export const bundlePhase: Phase = {
  key: 'bundle',
  name: 'Dashboard bundle',
  async run(ctx) {
    const notes: string[] = [];
    if (!fs.existsSync(path.join(DIST, 'index.html'))) {
      ctx.log('  building the dashboard (node bin/build-dashboard.js)');
      const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'build-dashboard.js')], { cwd: PROJECT_ROOT, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`node bin/build-dashboard.js failed: ${(r.stderr || r.stdout).slice(-2000)}`);
      notes.push('dashboard/dist was missing: built with `node bin/build-dashboard.js` in this run.');
    }
    const files = filesUnder(DIST);
    const js = files.filter((f) => f.endsWith('.js'));
    const css = files.filter((f) => f.endsWith('.css'));
    if (js.length === 0) throw new Error(`no .js file in ${DIST}`);
    const j = sizes(js);
    const c = sizes(css);
    return {
      phase: this.name,
      figures: [
        { name: `JavaScript (${js.length} file${js.length === 1 ? '' : 's'})`, value: `${kb(j.gzip)} gzip (${kb(j.raw)} raw)` },
        { name: `CSS (${css.length} file${css.length === 1 ? '' : 's'})`, value: `${kb(c.gzip)} gzip (${kb(c.raw)} raw)` },
        { name: 'JS + CSS', value: `${kb(j.gzip + c.gzip)} gzip` },
      ],
      notes,
    };
  },
};
