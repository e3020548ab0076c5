import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.ts';
import type { ApiApp } from '../../api/app-context.ts';
import { parseWithDates } from '../../cli/server-client.ts';
import { configFor } from '../../config/config.ts';
import { closeAllWarehouses, type Warehouse } from '../../warehouse/db.ts';
import { getReport } from '../../warehouse/reports/registry.ts';
import type { ReportData } from '../../warehouse/reports/report.ts';
import { API_ENV, as, json } from '../helpers/api-app.ts';
import { Scenario, serviceWarehouse } from '../helpers/service-scenario.ts';

// The routes `parley report` and `parley erase` use while `parley serve` holds the file.
describe('GET /api/reports/:kind/data and POST /api/erase', () => {
  let app: ApiApp;
  let wh: Warehouse;

  beforeAll(async () => {
    const made = await serviceWarehouse();
    wh = made.wh;
    const s = new Scenario(wh);
    s.agentNamed('a1', 'Mandy', 'sales');
    s.inbound('85298000001', '2026-11-16 10:00:00', 'hi');
    s.agent('85298000001', '2026-11-16 10:02:00', 'a1');
    s.inbound('85298000002', '2026-11-17 10:00:00', 'price?');
    await s.load();
    expect((await s.build()).status).toBe('success');
    const config = configFor(made.dir, { ...API_ENV, PARLEY_CONFIG_DIR: made.config.configDir });
    app = await buildApp({ config, warehouse: wh, validateResponses: true });
  });
  afterAll(async () => {
    await app?.close();
    await closeAllWarehouses();
  });

  it('answers the report data the CLI renders to the same Markdown as locally', async () => {
    const r = await app.inject({ url: '/api/reports/service-efficiency/data?week=2026-W47', headers: as('manager') });
    expect(r.statusCode).toBe(200);
    const remote = parseWithDates<ReportData>(r.body);
    expect([remote.kind, remote.week, remote.week_start, remote.week_end]).toEqual(['service-efficiency', '2026-W47', '2026-11-16', '2026-11-22']);
    // two customers wrote, one was answered: one unanswered burst
    expect(remote.metrics.find((m) => m.key === 'unanswered_bursts')?.value).toBe(1);
    const report = getReport('service-efficiency');
    const local = await report.load(wh, '2026-W47');
    expect(JSON.stringify(remote, null, 2)).toBe(JSON.stringify(local, null, 2));
    expect(report.markdown(remote)).toBe(report.markdown(local));
    expect(report.markdown(remote)).toContain('| Unanswered bursts | 1 |  | – | – |');
  });

  it('answers 404 for an unknown kind or a week without data, 400 for a week that does not exist', async () => {
    const unknown = await app.inject({ url: '/api/reports/nope/data?week=2026-W47', headers: as('manager') });
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown).error.code).toBe('API_NOT_FOUND');
    expect(json(unknown).error.message).toContain('service-efficiency, sales-funnel, cost-efficiency');
    const empty = await app.inject({ url: '/api/reports/service-efficiency/data?week=2026-W30', headers: as('manager') });
    expect(empty.statusCode).toBe(404);
    expect(json(empty)).toEqual({ error: { code: 'WH_REPORT_NO_DATA', message: 'No service data for week 2026-W30 (the data covers 2026-W47 to 2026-W47).' } });
    // 2025 starts on a Wednesday and is not a leap year: it has no week 53
    const noSuchWeek = await app.inject({ url: '/api/reports/service-efficiency/data?week=2025-W53', headers: as('manager') });
    expect(noSuchWeek.statusCode).toBe(400);
    expect(json(noSuchWeek).error.code).toBe('API_BAD_REQUEST');
    const malformed = await app.inject({ url: '/api/reports/service-efficiency/data?week=last', headers: as('manager') });
    expect(malformed.statusCode).toBe(400);
  });

  it('refuses a bad phone with the CLI\'s message and erases a person on admin\'s call', async () => {
    const bad = await app.inject({ method: 'POST', url: '/api/erase', headers: as('admin'), payload: { phone: 'not a phone' } });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.message).toBe('--phone "not a phone" is not a valid phone number; give it with its country code, e.g. +85291234567.');
    const missing = await app.inject({ method: 'POST', url: '/api/erase', headers: as('admin'), payload: {} });
    expect(missing.statusCode).toBe(400);
    expect(json(missing).error.code).toBe('API_BAD_REQUEST');

    const r = await app.inject({ method: 'POST', url: '/api/erase', headers: as('admin'), payload: { phone: '+852 9800 0002' } });
    expect(r.statusCode).toBe(200);
    const result = json(r);
    expect(result.phones).toEqual(['+85298000002']);
    expect(result.phoneNumbers).toBe(1);
    expect(result.rowsDeleted).toBeGreaterThan(0);
    const left = await wh.query(`select count(*) as n from staging.stg_messages where conversation_id like '%85298000002'`);
    expect(left[0]!.n).toBe(0);
    const other = await wh.query(`select count(*) as n from staging.stg_messages where conversation_id like '%85298000001'`);
    expect(other[0]!.n).toBe(2);
  });
});
