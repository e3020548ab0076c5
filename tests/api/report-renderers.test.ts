import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.ts';
import type { ApiApp } from '../../api/app-context.ts';
import { closeAllWarehouses } from '../../warehouse/db.ts';
import { API_ENV, as } from '../helpers/api-app.ts';
import { Scenario, serviceWarehouse } from '../helpers/service-scenario.ts';
import { configFor } from '../../config/config.ts';

// The server's report renderers are the reports of warehouse/reports/: the same numbers as
// `parley report`, as Markdown, metric CSV and a printable HTML page.
describe('report renderers of the API', () => {
  let app: ApiApp;

  beforeAll(async () => {
    const { wh, dir, config } = await serviceWarehouse();
    const s = new Scenario(wh);
    s.agentNamed('a1', 'Mandy <Lau> & Co', 'sales');
    s.inbound('85298000001', '2026-11-16 10:00:00', 'hi');
    s.agent('85298000001', '2026-11-16 10:02:00', 'a1');
    s.inbound('85298000002', '2026-11-17 10:00:00', 'price?');
    await s.load();
    expect((await s.build()).status).toBe('success');
    const withTokens = configFor(dir, { ...API_ENV, PARLEY_CONFIG_DIR: config.configDir });
    app = await buildApp({ config: withTokens, warehouse: wh });
  });
  afterAll(async () => {
    await app?.close();
    await closeAllWarehouses();
  });

  it('serves the service-efficiency week as Markdown with the measured median', async () => {
    const r = await app.inject({ url: '/api/reports/service-efficiency?week=2026-W47&format=md', headers: as('manager') });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/markdown/);
    expect(r.body).toContain('# Service efficiency — week 2026-W47 (16 Nov – 22 Nov 2026)');
    expect(r.body).toContain('| Unanswered bursts | 1 |  | – | – |');
  });

  it('serves a self-contained HTML page with every value escaped', async () => {
    const r = await app.inject({ url: '/api/reports/service-efficiency?week=2026-W47&format=html', headers: as('manager') });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.body).toMatch(/^<!doctype html>/);
    expect(r.body).toContain('<h1>Service efficiency — week 2026-W47 (16 Nov – 22 Nov 2026)</h1>');
    expect(r.body).toContain('<td>Unanswered bursts</td><td class="n">1</td>');
    expect(r.body).toContain('Mandy &lt;Lau&gt; &amp; Co');
    expect(r.body).not.toContain('Mandy <Lau>');
    expect(r.body).not.toMatch(/<script|https?:\/\//);
  });

  it('says clearly when a report has no data for the week', async () => {
    const r = await app.inject({ url: '/api/reports/service-efficiency?week=2026-W30&format=md', headers: as('manager') });
    expect(r.statusCode).toBe(404);
    expect(JSON.parse(r.body)).toEqual({ error: { code: 'WH_REPORT_NO_DATA', message: 'No service data for week 2026-W30 (the data covers 2026-W47 to 2026-W47).' } });
  });
});
