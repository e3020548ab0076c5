#!/usr/bin/env node
// Builds the dashboard (dashboard/ -> dashboard/dist) with Vite.
//   --if-missing  only when dashboard/dist has no index.html (what `npm start` runs first)
//   --if-stale    only when a source is newer than the last build (the browser tests)
// A failed build under --if-missing warns and exits 0: the server still starts and its
// placeholder page at / says how to build.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dashboard', 'dist');
const built = path.join(dist, 'index.html');
const args = new Set(process.argv.slice(2));

/** Newest modification time of the dashboard's sources and build config. */
function newestSource() {
  let newest = 0;
  const visit = (p) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      if (p === dist || path.basename(p) === 'node_modules') return;
      for (const f of fs.readdirSync(p)) visit(path.join(p, f));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  visit(path.join(root, 'dashboard'));
  for (const f of ['vite.config.ts', 'package-lock.json']) if (fs.existsSync(path.join(root, f))) visit(path.join(root, f));
  return newest;
}

if (args.has('--if-missing') && fs.existsSync(built)) process.exit(0);
if (args.has('--if-stale') && fs.existsSync(built) && fs.statSync(built).mtimeMs >= newestSource()) process.exit(0);

const started = Date.now();
try {
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
  // The output's mtime marks the build for --if-stale.
  const now = new Date();
  fs.utimesSync(built, now, now);
  console.log(`dashboard built into ${path.relative(process.cwd(), dist) || dist} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (err) {
  console.error(`dashboard build failed: ${err instanceof Error ? err.message : String(err)}`);
  if (args.has('--if-missing')) {
    console.error('starting without the dashboard; run `npm run build:dashboard` to see why (devDependencies installed?).');
    process.exit(0);
  }
  process.exit(1);
}
