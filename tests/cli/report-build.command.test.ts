import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { closeAllWarehouses } from '../../warehouse/db.ts';
import { Scenario, serviceWarehouse } from '../helpers/service-scenario.ts';

/** Runs the CLI and returns its exit code and output. */
async function cli(argv: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { out: { write: (s: string) => ((out += s), true) }, err: { write: (s: string) => ((err += s), true) } } as never;
  const code = await main(argv, io, env);
  return { code, out, err };
}

describe('parley build and parley report service-efficiency', () => {
  let env: Record<string, string>;

  beforeAll(async () => {
    const { wh, config } = await serviceWarehouse();
    const s = new Scenario(wh);
    s.agentNamed('a1', 'Mandy Lau', 'sales');
    s.inbound('85298000001', '2026-11-16 10:00:00', 'hi');
    s.agent('85298000001', '2026-11-16 10:02:00', 'a1');
    s.inbound('85298000002', '2026-11-17 10:00:00', 'price?');
    await s.load();
    await closeAllWarehouses();
    env = { PARLEY_DB: config.dbPath, PARLEY_LANDING: config.landingDir, PARLEY_CONFIG_DIR: config.configDir };
  });
  afterAll(closeAllWarehouses);

  it('builds and shows the data-quality summary', async () => {
    const { code, err } = await cli(['build', '--full'], env);
    expect(code).toBe(0);
    expect(err).toMatch(/quality: \d+ passed, 0 warnings, 0 failed.* \(ops\.dq_results, build 1\)/);
    expect(err).toContain('step marts.agg_staffing_hourly: 168 rows');
    expect(err).toMatch(/build 1 success: \d+\/\d+ models \(full\)/);
  });

  it('writes the week as Markdown a manager can forward', async () => {
    const { code, out } = await cli(['report', 'service-efficiency', '--week', '2026-W47'], env);
    expect(code).toBe(0);
    expect(out).toContain('# Service efficiency — week 2026-W47 (16 Nov – 22 Nov 2026)');
    expect(out).toContain('Customers wrote in **2 conversations** with 2 messages.');
    expect(out).toContain('Half of the customer bursts got an agent reply within **2 min** (median, wall clock), inside the 3-minute target; 50.0% were answered within 3 minutes and **1 went unanswered**.');
    expect(out).toContain('| Unanswered bursts | 1 |  | – | – |');
  });

  it('writes JSON and CSV with the same numbers', async () => {
    const json = await cli(['report', 'service-efficiency', '--week', '2026-W47', '--format', 'json'], env);
    const data = JSON.parse(json.out) as { metrics: { key: string; value: number }[] };
    expect(data.metrics.find((m) => m.key === 'median_response_seconds')!.value).toBe(120);
    const csv = await cli(['report', 'service-efficiency', '--week', '2026-W47', '--format', 'csv'], env);
    expect(csv.out.split('\n')[0]).toBe('key,label,unit,value,target,previous,change,meets_target');
    expect(csv.out).toContain('median_response_seconds,Median response (wall clock),seconds,120,180,,,true');
  });

  it.each([
    [['report'], /report takes one report name: service-efficiency/],
    [['report', 'churn'], /unknown report "churn"/],
    [['report', 'service-efficiency', '--format', 'pdf'], /--format must be md, json or csv/],
    [['report', 'service-efficiency', '--week', '2026-47'], /--week must be an ISO week like 2026-W47/],
  ])('refuses bad usage %j with exit code 2', async (argv, message) => {
    const { code, err } = await cli(argv, env);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  it('fails with a clear message for a week without data', async () => {
    const { code, err } = await cli(['report', 'service-efficiency', '--week', '2026-W30'], env);
    expect(code).toBe(1);
    expect(err).toContain('No service data for week 2026-W30 (the data covers 2026-W47 to 2026-W47).');
  });
});
