import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_ERROR_STATUS, ApiError, ApiErrorCodes } from '../../api/errors.ts';
import { PROJECT_ROOT } from '../../config/config.ts';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

describe('API error registry', () => {
  const codes = Object.keys(ApiErrorCodes);
  const docs = fs.readFileSync(path.join(PROJECT_ROOT, 'docs', 'api.md'), 'utf8');

  it('documents every code in docs/api.md with its status', () => {
    const undocumented = codes.filter((c) => !docs.includes(`| \`${c}\` | ${API_ERROR_STATUS[c as keyof typeof API_ERROR_STATUS]} |`));
    expect(undocumented).toEqual([]);
  });

  it('documents no code that does not exist', () => {
    const listed = [...docs.matchAll(/\| `(API_[A-Z_]+)` \|/g)].map((m) => m[1]);
    expect(listed.filter((c) => !codes.includes(c!))).toEqual([]);
  });

  it('knows every API_ code the code base uses', () => {
    const used = new Set<string>();
    for (const file of [...sourceFiles(path.join(PROJECT_ROOT, 'api')), ...sourceFiles(path.join(PROJECT_ROOT, 'cli'))]) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/'(API_[A-Z_]+)'/g)) used.add(m[1]!);
    }
    expect([...used].filter((c) => !codes.includes(c))).toEqual([]);
    expect(used.size).toBeGreaterThan(15);
  });

  it('gives each code a 4xx or 5xx status and a CLI exit code', () => {
    expect(codes.filter((c) => !(API_ERROR_STATUS[c as keyof typeof API_ERROR_STATUS] >= 400))).toEqual([]);
    expect(new ApiError('API_SQL_FORBIDDEN', 'x')).toMatchObject({ httpStatus: 403, exitCode: 2 });
    expect(new ApiError('API_SQL_TIMEOUT', 'x')).toMatchObject({ httpStatus: 408, exitCode: 1 });
  });
});
