import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../config/config.ts';
import { landingProblem, selectPhases, UnknownPhaseError } from '../../bench/lib/select-phases.ts';
import { PHASES } from '../../bench/phases/index.ts';
import { tempDir } from '../helpers/temp-dirs.ts';

const keys = (only: string | undefined) => selectPhases(PHASES, only).map((p) => p.key);

describe('bench --only', () => {
  it('picks the API phase alone for "api", although the peer phase title mentions the API', () => {
    expect(PHASES.find((p) => p.key === 'peer')!.name).toMatch(/API/);
    expect(keys('api')).toEqual(['api']);
    expect(keys('API')).toEqual(['api']);
    expect(keys('peer')).toEqual(['peer']);
  });

  it('takes several keys and runs them in phase order', () => {
    expect(keys('api,ingest')).toEqual(['ingest', 'api']);
    expect(keys(' bundle , generate ')).toEqual(['generate', 'bundle']);
  });

  it('keeps "generation" as another name of the generate phase', () => {
    expect(keys('generation')).toEqual(['generate']);
  });

  it('runs every phase without --only', () => {
    expect(keys(undefined)).toEqual(['generate', 'ingest', 'build', 'api', 'peer', 'freshness', 'bundle']);
  });

  it('refuses a part of a name or an unknown name, listing the keys', () => {
    for (const only of ['gen', 'fresh', 'Demo generation', 'api,nope', '']) {
      expect(() => selectPhases(PHASES, only), only).toThrow(UnknownPhaseError);
    }
    expect(() => selectPhases(PHASES, 'ap')).toThrow('the phases are generate, ingest, build, api, peer, freshness, bundle');
  });

  it('is documented: docs/bench.md lists exactly the phase keys', () => {
    const doc = fs.readFileSync(path.join(PROJECT_ROOT, 'docs', 'bench.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `?([a-z]+)`? \| `[^`]+\.bench\.ts` \|/gm)].map((m) => m[1]);
    expect(rows).toEqual(PHASES.map((p) => p.key));
  });

  it('makes npm run bench stop with exit code 2 and the keys before doing any work', () => {
    const work = path.join(tempDir('parley-bench-only-'), 'work');
    const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'bin/run-ts.js'), 'bench/run.ts', '--scale', 'XS', '--only', 'gen', '--work', work, '--out', path.join(work, 'out.md')], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('--only: no phase called "gen"; the phases are generate, ingest');
    expect(fs.existsSync(work)).toBe(false);
  });
});

describe('bench --only and the landing folder', () => {
  const problem = (only: string, reuseLanding: string | undefined, landingExists: boolean) => landingProblem(selectPhases(PHASES, only), { reuseLanding, landingDir: '/w/landing', landingExists });

  it('refuses --landing without the generate phase, which is what links it', () => {
    expect(problem('build', '/data/landing', true)).toBe('--landing /data/landing is linked by the generate phase (untimed): add generate to --only');
    expect(problem('generate,build', '/data/landing', false)).toBeUndefined();
  });

  it('refuses ingest or build on a work folder without landing files when nothing generates them', () => {
    expect(problem('build,api', undefined, false)).toBe('--only build reads /w/landing, which does not exist: add generate to --only (with --landing DIR to reuse earlier files), or give the --work folder of an earlier run');
    expect(problem('ingest,build', undefined, false)).toContain('--only ingest,build reads /w/landing');
    // An earlier run's work folder, or phases that do not read the landing files, are fine.
    expect(problem('build', undefined, true)).toBeUndefined();
    expect(problem('api,bundle', undefined, false)).toBeUndefined();
  });

  it('makes npm run bench stop with exit code 2 before doing any work', () => {
    const work = path.join(tempDir('parley-bench-landing-'), 'work');
    const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'bin/run-ts.js'), 'bench/run.ts', '--scale', 'XS', '--only', 'build', '--landing', work, '--work', work, '--out', path.join(work, 'out.md')], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('is linked by the generate phase (untimed): add generate to --only');
    expect(fs.existsSync(work)).toBe(false);
  });
});
