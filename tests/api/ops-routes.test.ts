import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../../api/app-context.ts';
import { parseMetricsDocs } from '../../api/metrics-docs.ts';
import { silentLogger } from '../../pipelines/logger.ts';
import { SOURCES } from '../../pipelines/registry.ts';
import { Scheduler, type CronFactory } from '../../pipelines/scheduler.ts';
import { closeAllWarehouses, type Warehouse } from '../../warehouse/db.ts';
import { as, json, testApp } from '../helpers/api-app.ts';
import { FakeClock } from '../helpers/fake-clock.ts';
import { count, FIXTURES } from '../helpers/temp-warehouse.ts';

const at = (iso: string) => String(Date.parse(iso) / 1000);

/** One webhook line with an inbound text message sent at `sentAt`. */
function line(wamid: string, sentAt: string): string {
  return JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: '1098765' }, contacts: [{ wa_id: '85291234567', profile: { name: 'Chan' } }], messages: [{ from: '85291234567', id: wamid, timestamp: at(sentAt), type: 'text', text: { body: 'hi' } }] } }] }] });
}

const noCron: CronFactory = () => ({ start() {}, destroy() {}, getNextRun: () => new Date('2026-11-23T02:05:00Z'), on() {} });

describe('ops routes', () => {
  let app: ApiApp;
  let wh: Warehouse;
  let dir: string;
  const clock = new FakeClock('2026-11-23T02:00:00Z');
  let jobRuns = 0;

  beforeAll(async () => {
    const scheduler = new Scheduler({
      jobs: [{ name: 'pipelines', schedule: '*/5 * * * *', description: 'test job', run: async () => (jobRuns++, { status: 'success' }) }],
      timezone: 'Asia/Hong_Kong',
      clock,
      log: silentLogger,
      cron: noCron,
    });
    scheduler.start();
    ({ app, wh, dir } = await testApp({ clock, scheduler }));
    fs.mkdirSync(path.join(dir, 'landing', 'whatsapp'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'landing', 'whatsapp', 'live.ndjson'), `${line('wamid.A', '2026-11-23T00:30:00Z')}\n${line('wamid.B', '2026-11-23T01:00:00Z')}\n{"broken\n`);
  });
  afterAll(async () => {
    await app.close();
    await closeAllWarehouses();
  });

  it('runs a source on demand and waits for it with ?wait=true', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/pipelines/whatsapp-cloud/run?wait=true', headers: as('admin') });
    expect(r.statusCode).toBe(200);
    expect(json(r)).toMatchObject({ name: 'whatsapp-cloud', runs: [{ source: 'whatsapp-cloud', status: 'success', rowsRead: 3, rowsLoaded: 2, rowsQuarantined: 1 }], build: null, job: null });
  });

  it('runs the build, reads a fixture --path, and answers 202 without waiting', async () => {
    const build = json(await app.inject({ method: 'POST', url: '/api/pipelines/build/run?wait=true', headers: as('admin'), payload: { full: true } }));
    expect(build.build).toMatchObject({ status: 'success', full: true });
    const accepted = await app.inject({ method: 'POST', url: '/api/pipelines/scrm-events/run', headers: as('admin'), payload: { path: path.join(FIXTURES, 'scrm-events', 'events.ndjson') } });
    expect([accepted.statusCode, json(accepted)]).toEqual([202, { accepted: true, name: 'scrm-events' }]);
    // The run goes on in the background: wait until it lets go of the source.
    while (wh.locks.isHeld('source:scrm-events')) await new Promise((r) => setImmediate(r));
    expect(await count(wh, `select count(*) as n from ops.pipeline_runs where source = 'scrm-events' and trigger = 'api' and status = 'success'`)).toBe(1);
  });

  it('answers 409 while the same source runs, and 404 for an unknown name', async () => {
    let release!: () => void;
    const holding = wh.locks.run('source:whatsapp-cloud', () => new Promise<void>((r) => (release = r)));
    const busy = await app.inject({ method: 'POST', url: '/api/pipelines/whatsapp-cloud/run', headers: as('admin') });
    expect([busy.statusCode, json(busy).error.code]).toEqual([409, 'API_PIPELINE_BUSY']);
    const all = await app.inject({ method: 'POST', url: '/api/pipelines/all/run', headers: as('admin') });
    expect(json(all).error.message).toMatch(/A source is already running \(whatsapp-cloud\)/);
    release();
    await holding;
    const unknown = await app.inject({ method: 'POST', url: '/api/pipelines/crm-magic/run', headers: as('admin') });
    expect([unknown.statusCode, json(unknown).error.message]).toEqual([404, `Unknown pipeline "crm-magic". Pipelines: all, build, ${SOURCES.map((s) => s.name).join(', ')}, pipelines.`]);
  });

  it('triggers a scheduler job by name', async () => {
    const r = json(await app.inject({ method: 'POST', url: '/api/pipelines/pipelines/run?wait=true', headers: as('admin') }));
    expect(r.job).toBe('ran');
    expect(jobRuns).toBe(1);
  });

  it('lists status, recent runs, grouped quarantine and the scheduler', async () => {
    const r = json(await app.inject({ url: '/api/pipelines', headers: as('admin') }));
    expect(r.status.sources.map((s: { source: string }) => s.source)).toEqual(SOURCES.map((s) => s.name));
    expect(r.runs.map((x: { source: string }) => x.source)).toEqual(['scrm-events', 'whatsapp-cloud']);
    expect(r.quarantine.filter((q: { source: string }) => q.source === 'whatsapp-cloud')).toEqual([{ source: 'whatsapp-cloud', reason: expect.stringMatching(/^invalid JSON/), records: 1, latest_at: expect.any(String) }]);
    expect(r.quarantine.filter((q: { source: string }) => q.source === 'scrm-events')).toHaveLength(5);
    expect(r.scheduler).toMatchObject({ timezone: 'Asia/Hong_Kong', jobs: [{ name: 'pipelines', lastStatus: 'success', nextRunAt: '2026-11-23T02:05:00.000Z', runs: 1 }] });
  });

  it('reports health: data version, last runs, freshness, file size', async () => {
    const r = json(await app.inject({ url: '/api/health', headers: as('scheduler') }));
    expect(r).toMatchObject({ status: 'ok', serverTime: '2026-11-23T02:00:00.000Z', lastBuild: { status: 'success' }, scheduler: [{ name: 'pipelines', running: false, lastStatus: 'success' }] });
    expect(r.dataVersion).toBeGreaterThan(0);
    expect(r.dbBytes).toBeGreaterThan(0);
    const wa = r.sources.find((s: { source: string }) => s.source === 'whatsapp-cloud');
    // Newest message 01:00Z, clock 02:00Z: an hour old.
    expect(wa).toMatchObject({ lastRunStatus: 'success', newestDataAt: '2026-11-23T01:00:00.000Z', freshnessSeconds: 3600, quarantined: 1 });
    expect(wa.lastSuccessAt).toEqual(expect.any(String));
  });

  it('lists the tables for the console with column types', async () => {
    const r = await app.inject({ url: '/api/schema', headers: as('analyst') });
    const table = json(r).tables.find((t: { name: string }) => t.name === 'stg_messages');
    expect(table).toMatchObject({ schema: 'staging', kind: 'table', grain: expect.stringContaining('one row per WhatsApp message') });
    expect(table.columns.find((c: { name: string }) => c.name === 'sent_at')).toEqual({ name: 'sent_at', type: 'TIMESTAMP WITH TIME ZONE', nullable: true, description: null });
    expect(json(r).tables.every((t: { schema: string }) => ['marts', 'staging'].includes(t.schema))).toBe(true);
    expect((await app.inject({ url: '/api/schema', headers: { ...as('analyst'), 'if-none-match': r.headers.etag as string } })).statusCode).toBe(304);
  });

  it('describes the API in OpenAPI at /docs with bearer auth', async () => {
    const doc = json(await app.inject({ url: '/docs/json' }));
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/api/sql'].post.requestBody.content['application/json'].schema.required).toEqual(['sql']);
    expect((await app.inject({ url: '/docs/' })).headers['content-type']).toMatch(/text\/html/);
  });

  it('answers unknown routes and bad input with {error: {code, message}}', async () => {
    const nf = await app.inject({ url: '/api/nothing' });
    expect([nf.statusCode, json(nf)]).toEqual([404, { error: { code: 'API_NOT_FOUND', message: 'No route GET /api/nothing. The API is described at /docs.' } }]);
    const badJson = await app.inject({ method: 'POST', url: '/api/sql', headers: { ...as('analyst'), 'content-type': 'application/json' }, payload: '{"sql": ' });
    expect([badJson.statusCode, json(badJson).error.code]).toEqual([400, 'API_BAD_REQUEST']);
    const wrongType = await app.inject({ method: 'POST', url: '/api/sql', headers: { ...as('analyst'), 'content-type': 'application/xml' }, payload: '<sql/>' });
    expect([wrongType.statusCode, json(wrongType).error.code]).toEqual([415, 'API_UNSUPPORTED_MEDIA_TYPE']);
  });
});

describe('docs/metrics.md descriptions', () => {
  it('reads table and column descriptions from tables and bullets under a heading naming the table', () => {
    const docs = parseMetricsDocs(`# Metrics

## \`marts.fct_responses\`

One row per unanswered burst.

| column | type | description |
|---|---|---|
| \`response_seconds\` | double | first agent reply minus the burst's first message |
| inbound_at | timestamptz | when the burst started |

## Response time

Not a table heading.

- \`ignored\`: not under a table

### marts.dim_agents
- \`team\`: sales or service
`);
    expect([...docs.keys()]).toEqual(['marts.fct_responses', 'marts.dim_agents']);
    expect(docs.get('marts.fct_responses')).toEqual({
      description: 'One row per unanswered burst.',
      columns: new Map([['response_seconds', "first agent reply minus the burst's first message"], ['inbound_at', 'when the burst started']]),
    });
    expect(docs.get('marts.dim_agents')!.columns.get('team')).toBe('sales or service');
  });
});
