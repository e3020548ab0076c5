import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../../api/app-context.ts';
import type { MartRoute } from '../../api/marts/mart-route.ts';
import { MART_ROUTES } from '../../api/marts/registry.ts';
import type { ReportRenderers } from '../../api/reports/report-registry.ts';
import { signatureOf } from '../../api/webhook/signature.ts';
import { bumpDataVersion } from '../../warehouse/data-version.ts';
import { closeAllWarehouses, type Warehouse } from '../../warehouse/db.ts';
import { APP_SECRET, as, json, testApp } from '../helpers/api-app.ts';
import { FakeClock } from '../helpers/fake-clock.ts';

const stubReports: ReportRenderers = {
  'service-efficiency': async (_wh, week) => ({ markdown: `# Service efficiency ${week}\n`, csv: { columns: ['metric'], rows: [{ metric: 'x' }] }, html: `<h1>Service efficiency ${week}</h1>` }),
};

/** A route of this test only, to check the plumbing on a mart of our own. */
const agentsRoute: MartRoute = {
  url: '/api/test/agents',
  summary: 'agents (test)',
  roles: ['analyst'],
  tables: () => ['marts.test_agents'],
  row: Type.Object({ agent_id: Type.String(), name: Type.String() }),
  async read(ctx) {
    return { rows: await ctx.wh.query('select agent_id, name from marts.test_agents order by agent_id') };
  },
};

describe('mart routes', () => {
  let app: ApiApp;
  let wh: Warehouse;
  // Monday 2026-11-23 10:00 in Hong Kong: the last complete week is 2026-W47 (16-22 November).
  const clock = new FakeClock('2026-11-23T02:00:00Z');
  const bump = () => wh.withConnection(bumpDataVersion);

  beforeAll(async () => {
    ({ app, wh } = await testApp({ clock, reports: stubReports, martRoutes: [...MART_ROUTES, agentsRoute] }));
  });
  afterAll(async () => {
    await app.close();
    await closeAllWarehouses();
  });

  it('answers 503 with a clear error while a mart is not built, never 500', async () => {
    for (const [url, table] of [
      ['/api/reports/sales-funnel', 'marts.rpt_sales_funnel_weekly'],
      ['/api/metrics/heatmap', 'marts.agg_hourly_activity_weekly'],
      ['/api/customers/c-1', 'marts.dim_customers, marts.fct_messages'],
      ['/api/test/agents', 'marts.test_agents'],
    ] as const) {
      const r = await app.inject({ url, headers: as('admin') });
      expect(r.statusCode).toBe(503);
      expect(json(r).error).toEqual({ code: 'API_MART_NOT_BUILT', message: expect.stringContaining(`${table} ${table.includes(',') ? 'are' : 'is'} not built yet`) });
    }
  });

  describe('once the marts exist', () => {
    beforeAll(async () => {
      await wh.run(`
        create table marts.rpt_service_efficiency_weekly as
          select * from (values ('2026-W46', 120::bigint, 150.5::decimal(10,1), date '2026-11-09'), ('2026-W47', 130::bigint, 171.0::decimal(10,1), date '2026-11-16'))
          as t(week, conversations, median_response_seconds, week_start);
        create table marts.test_agents as select * from (values ('a2', 'Mandy Lau'), ('a1', 'Kim Min-jun')) as t(agent_id, name);
        create table marts.dim_customers as select * from (values ('c-1', '+85291234567', 'Chan Tai Man')) as t(customer_id, phone_e164, name);
        create table marts.fct_messages as select * from (values
          ('m1', 'c-1', timestamptz '2026-11-20 10:00:00+08', 'inbound', '有冇貨？'),
          ('m2', 'c-1', timestamptz '2026-11-20 10:02:00+08', 'outbound', '有，今日可以送'),
          ('m3', 'c-9', timestamptz '2026-11-20 11:00:00+08', 'inbound', 'other customer')) as t(message_id, customer_id, sent_at, direction, text);
        create table marts.churn_scores as select * from (values ('c-1', 0.91, 'high'), ('c-2', 0.40, 'medium'), ('c-3', 0.95, 'high')) as t(customer_id, score, risk);
      `);
      await bump();
    });

    it('answers a report week from its rpt_ mart, the last complete week by default', async () => {
      const r = await app.inject({ url: '/api/reports/service-efficiency', headers: as('manager') });
      expect(r.statusCode).toBe(200);
      expect(json(r)).toMatchObject({ kind: 'service-efficiency', week: '2026-W47', rows: [{ week: '2026-W47', conversations: 130, median_response_seconds: 171, week_start: '2026-11-16' }] });
      expect(json(await app.inject({ url: '/api/reports/service-efficiency?week=2026-W46', headers: as('manager') })).rows[0].conversations).toBe(120);
    });

    it('answers 304 while the data version is unchanged, and 200 once it moves', async () => {
      const first = await app.inject({ url: '/api/reports/service-efficiency?week=2026-W47', headers: as('manager') });
      const etag = first.headers.etag as string;
      expect(etag).toBe(`"dv-${json(first).data_version}"`);
      expect(first.headers['cache-control']).toBe('no-cache');
      const again = await app.inject({ url: '/api/reports/service-efficiency?week=2026-W47', headers: { ...as('manager'), 'if-none-match': etag } });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      await bump();
      const moved = await app.inject({ url: '/api/reports/service-efficiency?week=2026-W47', headers: { ...as('manager'), 'if-none-match': etag } });
      expect(moved.statusCode).toBe(200);
      expect(moved.headers.etag).not.toBe(etag);
    });

    it('answers ?format=csv, and md or html through the report renderer', async () => {
      const csv = await app.inject({ url: '/api/reports/service-efficiency?week=2026-W47&format=csv', headers: as('manager') });
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toBe('attachment; filename="reports-service-efficiency-2026-W47.csv"');
      expect(csv.body).toBe('week,conversations,median_response_seconds,week_start\r\n2026-W47,130,171,2026-11-16\r\n');
      const md = await app.inject({ url: '/api/reports/service-efficiency?week=2026-W47&format=md', headers: as('manager') });
      expect([md.headers['content-type'], md.body]).toEqual(['text/markdown; charset=utf-8', '# Service efficiency 2026-W47\n']);
      expect((await app.inject({ url: '/api/reports/service-efficiency?week=2026-W47&format=html', headers: as('manager') })).body).toBe('<h1>Service efficiency 2026-W47</h1>');
    });

    it('answers 503 for md of a report without a renderer, and clear 4xx for bad weeks, kinds and formats', async () => {
      await wh.run(`create table marts.rpt_cost_efficiency_weekly as select '2026-W47' as week, 1 as messages_sent`);
      await bump();
      const noRenderer = await app.inject({ url: '/api/reports/cost-efficiency?format=md', headers: as('manager') });
      expect([noRenderer.statusCode, json(noRenderer).error.code]).toEqual([503, 'API_REPORT_NOT_AVAILABLE']);
      const cases: [string, number, string, RegExp][] = [
        ['/api/reports/service-efficiency?week=2026-W40', 404, 'API_NOT_FOUND', /No service-efficiency report for 2026-W40 \(weeks 2026-W46 to 2026-W47 exist\)/],
        ['/api/reports/service-efficiency?week=2025-W53', 400, 'API_BAD_REQUEST', /week 2025-W53 does not exist/],
        ['/api/reports/service-efficiency?week=47', 400, 'API_BAD_REQUEST', /querystring\/week must match pattern/],
        ['/api/reports/weekly-gossip', 404, 'API_NOT_FOUND', /No report "weekly-gossip"; reports: service-efficiency, sales-funnel, cost-efficiency/],
        ['/api/reports/service-efficiency?format=xml', 400, 'API_BAD_REQUEST', /querystring\/format must be one of json, csv, md, html/],
      ];
      for (const [url, status, code, message] of cases) {
        const r = await app.inject({ url, headers: as('manager') });
        expect([r.statusCode, json(r).error.code], url).toEqual([status, code]);
        expect(json(r).error.message).toMatch(message);
      }
    });

    it('answers one customer with their timeline, newest first, and 404 for an unknown one', async () => {
      const r = json(await app.inject({ url: '/api/customers/c-1', headers: as('manager') }));
      expect(r.customer).toEqual({ customer_id: 'c-1', phone_e164: '+85291234567', name: 'Chan Tai Man' });
      expect(r.rows.map((m: { message_id: string; sent_at: string }) => [m.message_id, m.sent_at])).toEqual([
        ['m2', '2026-11-20T02:02:00.000Z'],
        ['m1', '2026-11-20T02:00:00.000Z'],
      ]);
      const missing = await app.inject({ url: '/api/customers/c-404', headers: as('manager') });
      expect([missing.statusCode, json(missing).error.message]).toEqual([404, 'No customer c-404 in marts.dim_customers.']);
    });

    it('filters churn risk, highest score first', async () => {
      expect(json(await app.inject({ url: '/api/churn?risk=high', headers: as('manager') })).rows.map((r: { customer_id: string }) => r.customer_id)).toEqual(['c-3', 'c-1']);
      expect(json(await app.inject({ url: '/api/churn', headers: as('manager') })).rows).toHaveLength(3);
    });

    it('gives a route added to the registry the same plumbing: roles, schema, CSV columns from the row schema', async () => {
      expect((await app.inject({ url: '/api/test/agents', headers: as('manager') })).statusCode).toBe(403);
      expect(json(await app.inject({ url: '/api/test/agents', headers: as('analyst') })).rows).toEqual([{ agent_id: 'a1', name: 'Kim Min-jun' }, { agent_id: 'a2', name: 'Mandy Lau' }]);
      expect((await app.inject({ url: '/api/test/agents?format=csv', headers: as('analyst') })).body).toBe('agent_id,name\r\na1,Kim Min-jun\r\na2,Mandy Lau\r\n');
    });

    it('reads a mart answer once per data version: a change shows only once the version moves', async () => {
      const names = async () => json(await app.inject({ url: '/api/test/agents', headers: as('analyst') })).rows.map((r: { name: string }) => r.name);
      await bump();
      expect(await names()).toEqual(['Kim Min-jun', 'Mandy Lau']);
      await wh.run(`update marts.test_agents set name = 'Mandy Lau Wing-sze' where agent_id = 'a2'`);
      // Builds and loads always bump the version; this direct write did not, so the cached answer stands.
      expect(await names()).toEqual(['Kim Min-jun', 'Mandy Lau']);
      await bump();
      expect(await names()).toEqual(['Kim Min-jun', 'Mandy Lau Wing-sze']);
    });

    it('never serves a cached JSON or CSV body once a build-like transaction moved the version', async () => {
      const get = (format: string, etag?: string) => app.inject({ url: `/api/test/agents?format=${format}`, headers: { ...as('analyst'), ...(etag ? { 'if-none-match': etag } : {}) } });
      const first = await get('json');
      const firstCsv = await get('csv');
      expect((await get('json')).body).toBe(first.body); // the cached body, byte for byte
      expect((await get('csv')).body).toBe(firstCsv.body);
      // A build rewrites the mart and bumps the version in the same transaction.
      await wh.transaction(async (conn) => {
        await conn.run(`update marts.test_agents set name = 'Kim Min-jun (team lead)' where agent_id = 'a1'`);
        await bumpDataVersion(conn);
      });
      const after = await get('json', first.headers.etag as string);
      expect(after.statusCode).toBe(200);
      expect(after.headers.etag).toBe(`"dv-${json(after).data_version}"`);
      expect(json(after).data_version).toBe(json(first).data_version + 1);
      expect(json(after).rows[0]).toEqual({ agent_id: 'a1', name: 'Kim Min-jun (team lead)' });
      expect((await get('csv')).body).toBe('agent_id,name\r\na1,Kim Min-jun (team lead)\r\na2,Mandy Lau Wing-sze\r\n');
      expect((await get('json', after.headers.etag as string)).statusCode).toBe(304);
    });

    it('keeps answering from the database while a transaction that bumps the version is open', async () => {
      const names = async () => json(await app.inject({ url: '/api/test/agents', headers: as('analyst') })).rows.map((r: { name: string }) => r.name);
      const before = await names();
      let during: string[] = [];
      await wh.transaction(async (conn) => {
        await conn.run(`update marts.test_agents set name = 'Mandy Lau' where agent_id = 'a2'`);
        await bumpDataVersion(conn);
        during = await names();
      });
      expect(during).toEqual(before);
      expect(await names()).toEqual([before[0], 'Mandy Lau']);
    });
  });
});

/** A route reading what webhook loads write, to see a load move the answer. */
const payloadsRoute: MartRoute = {
  url: '/api/test/payloads',
  summary: 'payload count (test)',
  roles: ['analyst'],
  tables: () => ['raw.whatsapp_payloads'],
  row: Type.Object({ n: Type.Integer() }),
  async read(ctx) {
    return { rows: await ctx.wh.query('select count(*)::integer as n from raw.whatsapp_payloads') };
  },
};

describe('mart answers after a load', () => {
  it('are read again once a webhook load commits (the receiver bumps on a connection it keeps)', async () => {
    const { app: a } = await testApp({ martRoutes: [payloadsRoute] });
    try {
      const count = async () => json(await a.inject({ url: '/api/test/payloads', headers: as('analyst') }));
      const before = await count();
      expect(before.rows).toEqual([{ n: 0 }]);
      expect((await count()).rows).toEqual([{ n: 0 }]); // now from the cache
      for (const [i, wamid] of ['wamid.LOAD1', 'wamid.LOAD2'].entries()) {
        const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '85230012345', phone_number_id: '1098765' }, contacts: [{ profile: { name: 'Chan' }, wa_id: '85291234567' }], messages: [{ from: '85291234567', id: wamid, timestamp: '1795833600', type: 'text', text: { body: 'hi' } }] } }] }] });
        const r = await a.inject({ method: 'POST', url: '/webhooks/whatsapp', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signatureOf(body, APP_SECRET) }, payload: body });
        expect(r.headers['x-parley-webhook']).toBe('stored');
        const after = await count();
        expect(after.rows).toEqual([{ n: i + 1 }]);
        expect(after.data_version).toBeGreaterThan(before.data_version);
      }
    } finally {
      await a.close();
    }
  });
});

describe('mart answers of two apps in one process', () => {
  it('are never shared, even at the same data version', async () => {
    const apps = await Promise.all(['first', 'second'].map(() => testApp({ martRoutes: [agentsRoute] })));
    try {
      for (const [i, { wh: w }] of apps.entries()) {
        await w.run(`create table marts.test_agents as select 'a1' as agent_id, 'agent of app ${i}' as name`);
        await w.withConnection(bumpDataVersion);
      }
      const answers = await Promise.all(apps.map(async ({ app: a }) => json(await a.inject({ url: '/api/test/agents', headers: as('analyst') }))));
      expect(answers[0]!.data_version).toBe(answers[1]!.data_version);
      expect(answers.map((a) => a.rows[0].name)).toEqual(['agent of app 0', 'agent of app 1']);
    } finally {
      for (const { app: a } of apps) await a.close();
    }
  });
});
