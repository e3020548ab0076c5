import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const DASHBOARD = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'dashboard');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'dist' ? [] : sources(p);
    return /\.(ts|tsx)$/.test(e.name) && e.name !== 'tailwind.config.ts' ? [p] : [];
  });
}

describe('dashboard imports', () => {
  it('take only types from outside dashboard/, so no server code reaches the browser bundle', () => {
    const offending: string[] = [];
    for (const file of sources(DASHBOARD)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^import\s+(type\s+)?[^'"]*from\s+'([^']+)'/gm)) {
        const [, isType, spec] = m;
        if (!spec!.startsWith('.')) continue;
        const target = path.resolve(path.dirname(file), spec!);
        if (!target.startsWith(DASHBOARD + path.sep) && !isType) offending.push(`${path.relative(DASHBOARD, file)}: ${spec}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
