import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../config/config.ts';
import { tempDir } from '../helpers/temp-dirs.ts';

describe('npm run bench', () => {
  it('runs every phase end to end at scale S and writes each with its bars', () => {
    const dir = tempDir('parley-bench-smoke-');
    const out = path.join(dir, 'RESULTS.md');
    const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'bin/run-ts.js'), 'bench/run.ts', '--scale', 'S', '--repeats', '1', '--out', out, '--work', path.join(dir, 'work')], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      timeout: 420_000,
    });
    const text = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
    expect(text, r.stderr).not.toMatch(/Not measured: failed/);
    expect(r.status, r.stderr).toBe(0);
    expect(text).toMatch(/^# Parley benchmarks, scale S/);
    expect(text).toMatch(/- machine: \d+ x /);
    for (const phase of ['Demo generation', 'Ingest', 'Model build', 'API', 'Peer', 'Freshness', 'Dashboard bundle']) expect(text).toContain(`## ${phase}`);
    expect(text).toMatch(/\| ratio Parley \/ bare \| \d+\.\d\dx \| within 1\.5x/);
    expect(text).toMatch(/\| full build \(parley build --full, whole process\) \| [\d.]+ s/);
    expect(text).toMatch(/\| churn: `GET \/api\/churn` \| [\d,]+ req\/s, p50 [\d.]+ ms, p99 [\d.]+ ms/);
    // 2,000 distinct signed deliveries: each stored exactly once in raw and in staging.
    expect(text).toContain('| webhook: none lost, none stored twice (raw and staging counted) | raw 2000/2000, staging 2000/2000 |');
    // The peer SQL must give the marts' answers in both DuckDB and PostgreSQL.
    expect(text).toContain('| answers agree (API, DuckDB and PostgreSQL) | yes |');
    expect(text).toMatch(/\| all four: DuckDB staging SQL vs PostgreSQL \(sum of medians\) \| [\d.]+x/);
    expect(text).toMatch(/\| signed POST until visible in marts\.fct_messages \| [\d.]+ s/);
    expect(text).toMatch(/\| JS \+ CSS \| [\d.]+ kB gzip/);
  }, 480_000);
});
