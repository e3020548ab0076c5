import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { FIXTURES, tempConfig } from '../helpers/temp-warehouse.ts';

async function parley(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (add: (s: string) => void) => new Writable({ write(chunk, _enc, cb) { add(chunk.toString()); cb(); } });
  const code = await main(args, { out: sink((s) => (out += s)), err: sink((s) => (err += s)) }, env);
  return { code, out, err };
}

describe('CRM on the command line', () => {
  const { config } = tempConfig();
  const env = { PARLEY_DB: config.dbPath, PARLEY_LANDING: config.landingDir };

  it('refuses parley ingest crm-api without CRM_API_URL, as bad usage, without a failed run', async () => {
    const r = await parley(['ingest', 'crm-api'], env);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^parley ingest: crm-api needs CRM_API_URL/);
    const runs = await parley(['sql', 'select count(*) as n from ops.pipeline_runs', '--format', 'json'], env);
    expect(JSON.parse(runs.out)).toEqual([{ n: 0 }]);
  });

  it('ingests CRM exports, prints mapping problems, and shows them in status', async () => {
    const r = await parley(['ingest', 'crm-csv', '--path', path.join(FIXTURES, 'crm-csv')], env);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/read 18, loaded 14, quarantined 3, /);
    expect(r.err).toMatch(/4 mapping errors/);
    expect(r.err).toContain('  note: opportunities.csv line 3: salesforce-opportunities 0065g002 amount: "TBC" is not an amount\n');
    const status = await parley(['status'], env);
    expect(status.out).toMatch(/crm-csv\s+\S+ ago\s+success\s+18\s+14\s+3 \(total 3\).*mapping errors: 4/);
    expect(status.out).toMatch(/crm-api\s+never .*not configured/);
    expect(status.out).toContain('identity: 0 merges, 0 open review items, 0 erasures');
  });

  it('lists erase in the help', async () => {
    expect((await parley(['--help'], env)).out).toMatch(/erase\s+remove one person/);
  });
});
