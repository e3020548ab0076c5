import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../config/config.ts';

describe('npm run bench', () => {
  it('runs end to end at scale S and writes every phase with its bars', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-smoke-'));
    const out = path.join(dir, 'RESULTS.md');
    const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'bin/run-ts.js'), 'bench/run.ts', '--scale', 'S', '--repeats', '1', '--out', out, '--work', path.join(dir, 'work')], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const text = fs.readFileSync(out, 'utf8');
    expect(text).toMatch(/^# Parley benchmarks, scale S/);
    expect(text).toMatch(/- machine: \d+ x /);
    expect(text).toContain('## Demo generation');
    expect(text).toMatch(/\| ratio Parley \/ bare \| \d+\.\d\dx \| within 1\.5x/);
    expect(text).toMatch(/\| full build \(parley build --full, whole process\) \| [\d.]+ s/);
    expect(text).not.toMatch(/Not measured: failed/);
  }, 300_000);
});
