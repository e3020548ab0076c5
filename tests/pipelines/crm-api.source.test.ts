import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { configFor } from '../../config/config.ts';
import type { HubSpotObject } from '../../pipelines/crm/hubspot-client.ts';
import { runSource } from '../../pipelines/loader.ts';
import { runAll } from '../../pipelines/run-all.ts';
import { createCrmApiSource } from '../../pipelines/sources/crm-api.source.ts';
import { readStatus } from '../../pipelines/status.ts';
import { closeAllWarehouses, openWarehouse, type Warehouse } from '../../warehouse/db.ts';
import { startFakeCrm, testConfigDir, type FakeCrm } from '../helpers/fake-crm.ts';
import { tempDir } from '../helpers/temp-dirs.ts';

const TOKEN = 'pat-na1-test';
const T0 = Date.parse('2026-11-20T02:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function contact(id: string, first: string, last: string, phone: string, modifiedMin: number, extra: Record<string, string> = {}): HubSpotObject {
  return {
    id,
    properties: { firstname: first, lastname: last, mobilephone: phone, email: `${first.toLowerCase()}@example.com`, customer_tier: 'VIP', country: 'Hong Kong', createdate: '2026-10-01T02:00:00.000Z', hs_lastmodifieddate: at(modifiedMin), ...extra },
  };
}

function deal(id: string, contactId: string, stage: string, modifiedMin: number, extra: Record<string, string> = {}): HubSpotObject {
  return {
    id,
    properties: {
      dealname: `deal ${id}`, amount: '9399.00', deal_currency_code: 'HKD', dealstage: stage, product_name: 'iPhone15 Pro Max', payment_method: 'Credit Card',
      createdate: '2026-11-01T03:00:00.000Z', closedate: '2026-11-03T04:00:00.000Z', hs_lastmodifieddate: at(modifiedMin),
      hs_v2_date_entered_quoted: '2026-11-01T03:00:00.000Z', hs_v2_date_entered_paid: '2026-11-03T04:00:00.000Z', ...extra,
    },
    associations: { contacts: { results: [{ id: contactId, type: 'deal_to_contact' }] } },
  };
}

const CONTACTS = [contact('101', 'Mandy', 'Wong', '+852 9123 4567', -180), contact('102', 'Kelvin', 'Chan', '9612 3456', -30), contact('103', 'Min-jun', 'Kim', '+82 10-1234-5678', 0)];
const DEALS = [deal('9001', '101', 'closedwon', -120), deal('9002', '102', 'closedlost', -60), deal('9003', '103', 'presentationscheduled', -10)];

describe('crm-api source against a local HubSpot-compatible server', () => {
  const servers: FakeCrm[] = [];
  const start = async (o: Parameters<typeof startFakeCrm>[0] = {}) => {
    const s = await startFakeCrm({ token: TOKEN, contacts: [...CONTACTS], deals: [...DEALS], ...o });
    servers.push(s);
    return s;
  };
  /** A fresh warehouse whose CRM_API_URL is `urls`, with page size 2 and short timeouts. */
  const warehouse = async (urls: string[], api: Record<string, unknown> = {}, token = TOKEN): Promise<Warehouse> => {
    const dir = tempDir('parley-crm-api-');
    const configDir = testConfigDir(dir, { page_size: 2, max_attempts: 3, timeout_ms: 300, lookback_minutes: 60, ...api });
    return openWarehouse(configFor(dir, { PARLEY_CONFIG_DIR: configDir, CRM_API_URL: urls.join(','), CRM_API_TOKEN: token }));
  };
  const waits: number[] = [];
  const source = createCrmApiSource({ sleep: async (ms) => void waits.push(ms), random: () => 0 });
  const pulls = (s: FakeCrm) => s.requests.filter((r) => !/limit=1($|&)/.test(r));

  afterEach(async () => {
    waits.length = 0;
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  afterAll(closeAllWarehouses);

  it('pages through contacts and deals, maps them and stores where it stopped', async () => {
    const crm = await start();
    const wh = await warehouse([crm.url]);
    const run = await runSource(wh, source, { trigger: 'test', now: () => new Date(T0 + 3_600_000) });
    expect(run).toMatchObject({ status: 'success', rowsRead: 6, rowsLoaded: 6, rowsQuarantined: 0 });
    expect(run.counters).toMatchObject({ contacts: 3, deals: 3, probes: 1, api_retries: 0 });
    // two pages of each (page size 2), after one probe
    expect(pulls(crm).map((r) => new URL(r, 'http://x').searchParams.get('after'))).toEqual([null, '2', null, '2']);
    expect(pulls(crm)[2]).toContain('associations=contacts');
    const contacts = await wh.query(`select record_id, phone_e164, name, email, tier, country from raw.crm_contacts order by record_id`);
    expect(contacts).toEqual([
      { record_id: '101', phone_e164: '+85291234567', name: 'Mandy Wong', email: 'mandy@example.com', tier: 'vip', country: 'HK' },
      { record_id: '102', phone_e164: '+85296123456', name: 'Kelvin Chan', email: 'kelvin@example.com', tier: 'vip', country: 'HK' },
      { record_id: '103', phone_e164: '+821012345678', name: 'Min-jun Kim', email: 'min-jun@example.com', tier: 'vip', country: 'HK' },
    ]);
    const deals = await wh.query(`select record_id, contact_record_id, stage, amount, payment_method, strftime(paid_at at time zone 'UTC', '%Y-%m-%d %H:%M') as paid from raw.crm_deals order by record_id`);
    expect(deals).toEqual([
      { record_id: '9001', contact_record_id: '101', stage: 'paid', amount: 9399, payment_method: 'card', paid: '2026-11-03 04:00' },
      { record_id: '9002', contact_record_id: '102', stage: 'lost', amount: 9399, payment_method: 'card', paid: '2026-11-03 04:00' },
      { record_id: '9003', contact_record_id: '103', stage: 'quoted', amount: 9399, payment_method: 'card', paid: '2026-11-03 04:00' },
    ]);
    const cursors = await wh.query(`select cursor_key, cursor_value from ops.cursors where source = 'crm-api' and cursor_key like '%modified_after' order by 1`);
    expect(cursors).toEqual([
      { cursor_key: 'contacts.modified_after', cursor_value: at(0) },
      { cursor_key: 'deals.modified_after', cursor_value: at(-10) },
    ]);
  });

  it('takes again only what changed, plus the lookback window before the cursor', async () => {
    const crm = await start();
    const wh = await warehouse([crm.url]);
    await runSource(wh, source, { trigger: 'test', now: () => new Date(T0) });
    crm.contacts = [contact('101', 'Mandy', 'Wong-Lee', '+852 9123 4567', 45), CONTACTS[1]!, CONTACTS[2]!];
    const second = await runSource(wh, source, { trigger: 'test', now: () => new Date(T0 + 600_000) });
    // contacts cursor at +0 min: 101 (changed, +45) and 102 (-30, inside the 60-minute lookback) and 103 (+0) come again;
    // deals cursor at -10: 9002 (-60) and 9003 (-10) are inside the lookback, 9001 (-120) is not
    expect(second.counters).toMatchObject({ contacts: 3, deals: 2, unchanged: 1 });
    const [latest] = await wh.query(`select name from raw.crm_contacts where record_id = '101' order by modified_at desc limit 1`);
    expect(latest).toEqual({ name: 'Mandy Wong-Lee' });
    expect(await wh.query(`select cursor_value from ops.cursors where source = 'crm-api' and cursor_key = 'contacts.modified_after'`)).toEqual([{ cursor_value: at(45) }]);
  });

  it('waits what Retry-After asks after a 429, then carries on', async () => {
    const crm = await start();
    crm.misbehave((u) => u.includes('/deals?'), (res) => res.writeHead(429, { 'retry-after': '2' }).end('{"status":"error","category":"RATE_LIMITS"}'));
    const wh = await warehouse([crm.url]);
    const run = await runSource(wh, source, { trigger: 'test' });
    expect(run).toMatchObject({ status: 'success', rowsLoaded: 6 });
    expect(run.counters.api_retries).toBe(1);
    expect(waits).toEqual([2000]);
  });

  it('fails the run with the reason after the last attempt on 500s, and keeps the cursor', async () => {
    const crm = await start();
    const wh = await warehouse([crm.url]);
    await runSource(wh, source, { trigger: 'test', now: () => new Date(T0) });
    const before = await wh.query(`select cursor_key, cursor_value from ops.cursors where source = 'crm-api' and cursor_key like '%modified_after' order by 1`);
    crm.contacts = [contact('101', 'Mandy', 'Wong', '+852 9123 4567', 500), CONTACTS[1]!, CONTACTS[2]!];
    crm.misbehave((u) => u.includes('/contacts?limit=2'), (res) => res.writeHead(500).end('oops'), 10);
    const run = await runSource(wh, source, { trigger: 'test', now: () => new Date(T0 + 60_000) });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/crm\/v3\/objects\/contacts\?limit=2&.* answered 500; gave up after 3 attempts\. The run stopped and its cursor is unchanged\.$/);
    expect(waits).toEqual([250, 500]);
    expect(await wh.query(`select cursor_key, cursor_value from ops.cursors where source = 'crm-api' and cursor_key like '%modified_after' order by 1`)).toEqual(before);
    const [logged] = await wh.query<{ status: string; error: string }>(`select status, error from ops.pipeline_runs where run_id = ${run.runId}`);
    expect(logged).toEqual({ status: 'failed', error: run.error });
  });

  it('times out a request that never answers and tries again', async () => {
    const crm = await start();
    crm.misbehave((u) => u.includes('/contacts?limit=2'), 'hang');
    const wh = await warehouse([crm.url]);
    const run = await runSource(wh, source, { trigger: 'test' });
    expect(run).toMatchObject({ status: 'success', rowsLoaded: 6 });
    expect(run.counters.api_retries).toBe(1);
  });

  it('fails clearly on malformed JSON that keeps coming', async () => {
    const crm = await start();
    crm.misbehave((u) => u.includes('/deals?'), (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"results":[{"id":"9001",'), 10);
    const wh = await warehouse([crm.url]);
    const run = await runSource(wh, source, { trigger: 'test' });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/objects\/deals\?.* answered malformed JSON \("\{\\"results\\":\[\{\\"id\\":\\"9001\\","\); gave up after 3 attempts/);
    // the contacts committed before the deals failed stay, and their cursor moved; the deals cursor did not
    expect(await wh.query(`select cursor_key from ops.cursors where source = 'crm-api' and cursor_key like '%modified_after'`)).toEqual([{ cursor_key: 'contacts.modified_after' }]);
  });

  it('stops at once on an expired token, saying what to do', async () => {
    const crm = await start();
    const wh = await warehouse([crm.url], {}, 'pat-expired');
    const run = await runSource(wh, source, { trigger: 'test' });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/answered 401: the CRM refused CRM_API_TOKEN \(expired, revoked or wrong\)\. Renew the token/);
    expect(pulls(crm)).toHaveLength(1);
    expect(waits).toEqual([]);
    expect(await wh.query(`select count(*) as n from raw.crm_contacts`)).toEqual([{ n: 0 }]);
  });

  it('switches to the backup URL after 3 hourly probes slower than 1.5 s, and says so', async () => {
    const primary = await start();
    const backup = await start();
    const wh = await warehouse([primary.url, backup.url]);
    let clock = 0;
    // The primary answers, but every answer costs 2 s on the injected clock.
    const fetchSlowPrimary: typeof fetch = async (input, init) => {
      if (String(input).startsWith(primary.url)) clock += 2000;
      return fetch(input, init);
    };
    const timed = createCrmApiSource({ sleep: async () => {}, random: () => 0, clock: () => clock });
    const runs = [];
    for (let hour = 0; hour < 3; hour++) {
      runs.push(await runSource(wh, timed, { trigger: 'test', fetch: fetchSlowPrimary, now: () => new Date(T0 + hour * 3_600_000 + 60_000) }));
    }
    expect(runs.map((r) => r.counters.failovers ?? 0)).toEqual([0, 0, 1]);
    expect(pulls(primary).length).toBe(8);
    expect(pulls(backup).length).toBe(4);
    expect(runs[2]!.notes[0]).toMatch(/^failover: the primary http:\/\/127\.0\.0\.1:\d+ was slow or failing for 3 probes in a row \(last 2000 ms\); pulling from backup http:\/\/127\.0\.0\.1:\d+$/);
    const probes = await wh.query<{ is_slow: boolean; n: number }>(`select is_slow, count(*) as n from ops.crm_api_probes group by 1 order by 1`);
    expect(probes).toEqual([{ is_slow: false, n: 3 }, { is_slow: true, n: 3 }]);
    const status = await readStatus(wh);
    expect(status.crmApi).toMatchObject({ isFailover: true, activeUrl: backup.url });
    expect(status.sources.find((s) => s.source === 'crm-api')!.notes[0]).toMatch(/^failover: /);
    // a probe within the hour is not repeated
    const again = await runSource(wh, timed, { trigger: 'test', fetch: fetchSlowPrimary, now: () => new Date(T0 + 2 * 3_600_000 + 120_000) });
    expect(again.counters.probes).toBeUndefined();
  });

  it('is skipped by parley run when CRM_API_URL is not set', async () => {
    const dir = tempDir('parley-crm-api-');
    fs.mkdirSync(path.join(dir, 'landing'));
    const wh = await openWarehouse(configFor(dir));
    const { runs, build } = await runAll(wh, { trigger: 'test' });
    expect(runs.map((r) => r.source)).toEqual(['whatsapp-cloud', 'scrm-events', 'whatsapp-export', 'crm-csv']);
    expect(build?.status).toBe('success');
    const status = await readStatus(wh);
    expect(status.sources.find((s) => s.source === 'crm-api')).toMatchObject({ lastRun: null, unavailable: expect.stringMatching(/^crm-api needs CRM_API_URL/) });
  });
});
