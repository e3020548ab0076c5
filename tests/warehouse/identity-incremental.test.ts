import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSource } from '../../pipelines/loader.ts';
import * as scrm from '../../pipelines/demo/scrm-format.ts';
import { crmCsvSource } from '../../pipelines/sources/crm-csv.source.ts';
import { scrmEventsSource } from '../../pipelines/sources/scrm-events.source.ts';
import { whatsappCloudSource } from '../../pipelines/sources/whatsapp-cloud.source.ts';
import { buildWarehouse } from '../../warehouse/build.ts';
import { buildMessages, messagesBuildModels } from '../../warehouse/messages-build.ts';
import { loadModels } from '../../warehouse/model-files.ts';
import { closeAllWarehouses, type Warehouse } from '../../warehouse/db.ts';
import { webhookText, writeSalesforceExport, type TestContact, type TestDeal } from '../helpers/crm-files.ts';
import { differences } from '../helpers/table-differences.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

const idOf = (e164: string) => `c_${createHash('md5').update(e164).digest('hex').slice(0, 12)}`;
const contact = (id: string, first: string, last: string, phone: string): TestContact => ({ id, first, last, phone, created: '8/1/2026 10:00 AM', modified: '8/1/2026 10:00 AM' });
const bought = (id: string, contactId: string, product: string, orderDate: string): TestDeal => ({ id, contactId, product, stage: 'Order Placed', created: orderDate, orderDate, modified: orderDate });

/** Incremental marts scoped to the conversations, customers, weeks or deals their new rows touch. */
const SCOPED = ['agg_conversation_text', 'fct_funnel', 'agg_customer_sentiment_weekly', 'agg_tags_weekly', 'fct_deals'];

const customersOf = (wh: Warehouse, table: string, key: string) =>
  wh.query<{ key: string; customer_id: string }>(`select ${key} as key, customer_id from ${table} order by 1`);

// Messages are already in the incremental marts when the CRM shows two numbers are one
// person: the next incremental build must move them to the merged customer.
describe('a merge after the messages were built', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    ({ wh } = await tempWarehouse());
    fs.mkdirSync(path.join(wh.config.landingDir, 'whatsapp'));
    fs.writeFileSync(
      path.join(wh.config.landingDir, 'whatsapp', 'wa.ndjson'),
      `${[webhookText('85294120001', 'Mandy Wong', 'wamid.A1', '2026-11-12T01:00:00Z'), webhookText('85294120002', 'Mandi Wang', 'wamid.A2', '2026-11-13T01:00:00Z')].join('\n')}\n`,
    );
    expect((await runSource(wh, whatsappCloudSource, { trigger: 'test' })).status).toBe('success');
    expect((await buildWarehouse(wh)).status).toBe('success');
  });
  afterAll(closeAllWarehouses);

  it('keeps two customers while nothing links the numbers', async () => {
    expect(await customersOf(wh, 'marts.fct_messages', 'message_id')).toEqual([
      { key: 'wamid.A1', customer_id: idOf('+85294120001') },
      { key: 'wamid.A2', customer_id: idOf('+85294120002') },
    ]);
  });

  it('moves the merged number\'s messages and bursts to the first number\'s customer on the next incremental build', async () => {
    writeSalesforceExport(
      path.join(wh.config.landingDir, 'crm'),
      'sf',
      [contact('A1', 'Mandy', 'Wong', '+852 9412 0001'), contact('A2', 'Mandi', 'Wang', '+852 9412 0002')],
      [bought('DA1', 'A1', 'iPhone 15 Pro Max', '10/1/2026 10:00 AM'), bought('DA2', 'A2', 'iphone15 pro max', '10/11/2026 10:00 AM')],
    );
    expect((await runSource(wh, crmCsvSource, { trigger: 'test' })).status).toBe('success');
    const build = await buildWarehouse(wh);
    expect(build.status).toBe('success');
    expect(build.full).toBe(false);
    const merged = idOf('+85294120001');
    expect(await customersOf(wh, 'marts.fct_messages', 'message_id')).toEqual([
      { key: 'wamid.A1', customer_id: merged },
      { key: 'wamid.A2', customer_id: merged },
    ]);
    expect((await customersOf(wh, 'marts.fct_responses', 'inbound_message_id')).map((r) => r.customer_id)).toEqual([merged, merged]);
    expect(await wh.query(`select phone_e164 from staging.int_customer_phone_changes order by 1`)).toEqual([{ phone_e164: '+85294120001' }, { phone_e164: '+85294120002' }]);
    // the churn snapshots merge too: the merged-away customer's are deleted
    expect(build.results.find((r) => r.model === 'marts.agg_churn_weekly')?.strategy).toBe('incremental');
    expect(await wh.query(`select distinct customer_id from marts.agg_churn_weekly`)).toEqual([{ customer_id: merged }]);
    // the conversations (no new message in them) and the funnel move too: the merged-away customer's row goes
    for (const t of ['agg_conversation_text', 'fct_funnel']) expect(build.results.find((r) => r.model === `marts.${t}`)?.strategy).toBe('incremental');
    expect(await customersOf(wh, 'marts.agg_conversation_text', 'conversation_id')).toEqual(['1098765:+85294120001', '1098765:+85294120002'].map((key) => ({ key, customer_id: merged })));
    expect(await wh.query(`select customer_id from marts.fct_funnel`)).toEqual([{ customer_id: merged }]);
  });

  it('rebuilds nothing for identity once the merge is recorded, and agrees with a full build', async () => {
    expect((await buildWarehouse(wh)).status).toBe('success');
    expect(await wh.query(`select phone_e164 from staging.int_customer_phone_changes`)).toEqual([]);
    const incremental = await customersOf(wh, 'marts.fct_messages', 'message_id');
    await wh.run('create schema kept');
    for (const t of SCOPED) await wh.run(`create table kept.${t} as select * from marts.${t}`);
    expect((await buildWarehouse(wh, { full: true })).status).toBe('success');
    expect(await customersOf(wh, 'marts.fct_messages', 'message_id')).toEqual(incremental);
    for (const t of SCOPED) expect(await differences(wh, `marts.${t}`, `kept.${t}`)).toBe(0);
  });
});

// The server's fast build records the merge: the complete build after it no longer sees the
// numbers as changed, so the incremental models that read them then are rebuilt whole. Any
// other build of a partial selection that records merges does the same.
describe.each([
  { by: 'the fast build after deliveries', partial: (wh: Warehouse) => buildMessages(wh) },
  { by: 'a warehouse build of the same selection', partial: (wh: Warehouse) => buildWarehouse(wh, { select: messagesBuildModels(loadModels()) }) },
])('a merge found by $by', ({ partial }) => {
  // The incremental marts that read the moved numbers but that the fast build does not build.
  const MISSED = ['agg_churn_weekly', 'fct_outbound_messages', 'fct_responses', 'agg_conversation_text', 'fct_funnel', 'agg_customer_sentiment_weekly', 'fct_deals'];
  let wh: Warehouse;
  const merged = idOf('+85294120001');
  let complete: Awaited<ReturnType<typeof buildWarehouse>>;
  beforeAll(async () => {
    ({ wh } = await tempWarehouse());
    const wa = path.join(wh.config.landingDir, 'whatsapp');
    fs.mkdirSync(wa);
    fs.writeFileSync(
      path.join(wa, 'wa-1.ndjson'),
      `${[
        webhookText('85294120001', 'Mandy Wong', 'wamid.B1', '2026-11-02T01:00:00Z'),
        webhookText('85294120002', 'Mandi Wang', 'wamid.B2', '2026-11-03T01:00:00Z'),
        webhookText('85294120002', 'Mandi Wang', 'wamid.B3', '2026-11-10T01:00:00Z'),
      ].join('\n')}\n`,
    );
    // agent replies, so both numbers have bursts and outbound messages before the merge
    const reply = (to: string, wamid: string, at: string) =>
      scrm.messageSent({ at: Date.parse(at), wamid, phoneNumberId: '1098765', to, agentId: 'a1', kind: 'agent', text: 'Thanks!', templateName: null, campaignId: null, conversationId: null });
    fs.mkdirSync(path.join(wh.config.landingDir, 'scrm'));
    fs.writeFileSync(
      path.join(wh.config.landingDir, 'scrm', 'scrm-1.ndjson'),
      `${[reply('85294120001', 'wamid.R1', '2026-11-02T01:05:00Z'), reply('85294120002', 'wamid.R2', '2026-11-03T01:05:00Z'), reply('85294120002', 'wamid.R3', '2026-11-10T01:05:00Z')].join('\n')}\n`,
    );
    expect((await runSource(wh, whatsappCloudSource, { trigger: 'test' })).status).toBe('success');
    expect((await runSource(wh, scrmEventsSource, { trigger: 'test' })).status).toBe('success');
    expect((await buildWarehouse(wh)).status).toBe('success');
    writeSalesforceExport(
      path.join(wh.config.landingDir, 'crm'),
      'sf',
      [contact('A1', 'Mandy', 'Wong', '+852 9412 0001'), contact('A2', 'Mandi', 'Wang', '+852 9412 0002')],
      [bought('DA1', 'A1', 'iPhone 15 Pro Max', '10/1/2026 10:00 AM'), bought('DA2', 'A2', 'iphone15 pro max', '10/11/2026 10:00 AM')],
    );
    expect((await runSource(wh, crmCsvSource, { trigger: 'test' })).status).toBe('success');
    fs.writeFileSync(path.join(wa, 'wa-2.ndjson'), `${webhookText('85294120001', 'Mandy Wong', 'wamid.B4', '2026-11-16T01:00:00Z')}\n`);
    fs.writeFileSync(path.join(wh.config.landingDir, 'scrm', 'scrm-2.ndjson'), `${reply('85294120001', 'wamid.R4', '2026-11-16T01:05:00Z')}\n`);
    expect((await runSource(wh, whatsappCloudSource, { trigger: 'test' })).status).toBe('success');
    expect((await runSource(wh, scrmEventsSource, { trigger: 'test' })).status).toBe('success');
    expect((await partial(wh)).status).toBe('success');
    complete = await buildWarehouse(wh);
  });
  afterAll(closeAllWarehouses);

  it('rebuilds the bursts, the outbound messages and the churn snapshots whole, on the merged customer', async () => {
    expect(complete.status).toBe('success');
    const strategies = new Map(complete.results.map((r) => [r.model, r.strategy]));
    expect(MISSED.map((t) => strategies.get(`marts.${t}`))).toEqual(MISSED.map(() => 'full'));
    expect((await customersOf(wh, 'marts.fct_responses', 'inbound_message_id')).map((r) => r.key)).toEqual(['wamid.B1', 'wamid.B2', 'wamid.B3', 'wamid.B4']);
    expect(await wh.query(`select distinct customer_id from marts.fct_responses`)).toEqual([{ customer_id: merged }]);
    expect(await customersOf(wh, 'marts.fct_outbound_messages', 'message_id')).toEqual(['wamid.R1', 'wamid.R2', 'wamid.R3', 'wamid.R4'].map((key) => ({ key, customer_id: merged })));
    expect(await wh.query(`select distinct customer_id from marts.agg_churn_weekly`)).toEqual([{ customer_id: merged }]);
    expect(await wh.query(`select distinct customer_id from marts.agg_conversation_text`)).toEqual([{ customer_id: merged }]);
    expect(await wh.query(`select customer_id from marts.fct_funnel`)).toEqual([{ customer_id: merged }]);
    expect(await wh.query(`select distinct customer_id from marts.agg_customer_sentiment_weekly`)).toEqual([{ customer_id: merged }]);
    expect(await wh.query(`select distinct customer_id from marts.fct_deals`)).toEqual([{ customer_id: merged }]);
  });

  it('leaves the marts the fast build did not build as a full build of the same data does', async () => {
    await wh.run('create schema kept');
    for (const t of MISSED) await wh.run(`create table kept.${t} as select * from marts.${t}`);
    expect((await buildWarehouse(wh, { full: true })).status).toBe('success');
    const counts = await Promise.all(MISSED.map(async (t) => [t, Number((await wh.query<{ n: number }>(`select count(*) as n from marts.${t}`))[0]!.n)]));
    expect(counts.every(([, n]) => Number(n) > 0)).toBe(true);
    expect(Object.fromEntries(await Promise.all(MISSED.map(async (t) => [t, await differences(wh, `marts.${t}`, `kept.${t}`)])))).toEqual(Object.fromEntries(MISSED.map((t) => [t, 0])));
  });
});

// A merge without new CRM records: a number writes under a new profile name that makes it a
// duplicate of another buyer. The incremental build recomputes only the customers with new
// messages in the funnel; the merged-away customer's row must go all the same.
describe('a merge found by a new profile name, without new CRM records', () => {
  let wh: Warehouse;
  let build: Awaited<ReturnType<typeof buildWarehouse>>;
  const merged = idOf('+85294120001');
  beforeAll(async () => {
    ({ wh } = await tempWarehouse());
    const wa = path.join(wh.config.landingDir, 'whatsapp');
    fs.mkdirSync(wa);
    writeSalesforceExport(
      path.join(wh.config.landingDir, 'crm'),
      'sf',
      [contact('A1', 'Mandy', 'Wong', '+852 9412 0001'), contact('A2', 'Peter', 'Chan', '+852 9412 0002')],
      [bought('DA1', 'A1', 'iPhone 15 Pro Max', '10/1/2026 10:00 AM'), bought('DA2', 'A2', 'iphone15 pro max', '10/11/2026 10:00 AM')],
    );
    fs.writeFileSync(
      path.join(wa, 'wa-1.ndjson'),
      `${[webhookText('85294120001', 'Mandy Wong', 'wamid.C1', '2026-11-12T01:00:00Z'), webhookText('85294120002', 'Peter Chan', 'wamid.C2', '2026-11-13T01:00:00Z')].join('\n')}\n`,
    );
    expect((await runSource(wh, crmCsvSource, { trigger: 'test' })).status).toBe('success');
    expect((await runSource(wh, whatsappCloudSource, { trigger: 'test' })).status).toBe('success');
    expect((await buildWarehouse(wh)).status).toBe('success');
    expect((await wh.query(`select customer_id from marts.fct_funnel order by 1`)).length).toBe(2);
    fs.writeFileSync(path.join(wa, 'wa-2.ndjson'), `${webhookText('85294120002', 'Mandi Wang', 'wamid.C3', '2026-11-16T01:00:00Z')}\n`);
    expect((await runSource(wh, whatsappCloudSource, { trigger: 'test' })).status).toBe('success');
    build = await buildWarehouse(wh);
  });
  afterAll(closeAllWarehouses);

  it('merges the funnel and the conversations incrementally onto the merged customer', async () => {
    expect(build.status).toBe('success');
    expect(await wh.query(`select phone_e164 from staging.int_customer_phone_changes order by 1`)).toEqual([{ phone_e164: '+85294120001' }, { phone_e164: '+85294120002' }]);
    for (const t of SCOPED) expect(build.results.find((r) => r.model === `marts.${t}`)?.strategy).toBe('incremental');
    expect(await wh.query(`select customer_id, deals from marts.fct_funnel`)).toEqual([{ customer_id: merged, deals: 2 }]);
    expect(await wh.query(`select distinct customer_id from marts.agg_conversation_text`)).toEqual([{ customer_id: merged }]);
    // the merged-away customer's weeks and deal move too, without new CRM records
    expect(await wh.query(`select distinct customer_id from marts.agg_customer_sentiment_weekly`)).toEqual([{ customer_id: merged }]);
    expect(await wh.query(`select distinct customer_id from marts.fct_deals`)).toEqual([{ customer_id: merged }]);
  });

  it('agrees with a full build of the same data', async () => {
    await wh.run('create schema kept');
    for (const t of SCOPED) await wh.run(`create table kept.${t} as select * from marts.${t}`);
    expect((await buildWarehouse(wh, { full: true })).status).toBe('success');
    for (const t of SCOPED) expect(await differences(wh, `marts.${t}`, `kept.${t}`)).toBe(0);
  });
});

// New CRM records without any new message or merge: a deal for a customer whose messages are
// already built. The funnel recomputes every customer then (a deal may change its number).
describe('a new CRM deal without new messages', () => {
  let wh: Warehouse;
  let build: Awaited<ReturnType<typeof buildWarehouse>>;
  beforeAll(async () => {
    ({ wh } = await tempWarehouse());
    fs.mkdirSync(path.join(wh.config.landingDir, 'whatsapp'));
    const crm = path.join(wh.config.landingDir, 'crm');
    writeSalesforceExport(crm, 'sf', [contact('A1', 'Mandy', 'Wong', '+852 9412 0001')], []);
    fs.writeFileSync(path.join(wh.config.landingDir, 'whatsapp', 'wa-1.ndjson'), `${webhookText('85294120001', 'Mandy Wong', 'wamid.D1', '2026-11-12T01:00:00Z')}\n`);
    expect((await runSource(wh, crmCsvSource, { trigger: 'test' })).status).toBe('success');
    expect((await runSource(wh, whatsappCloudSource, { trigger: 'test' })).status).toBe('success');
    expect((await buildWarehouse(wh)).status).toBe('success');
    writeSalesforceExport(crm, 'sf-2', [contact('A1', 'Mandy', 'Wong', '+852 9412 0001')], [bought('DA1', 'A1', 'iPhone 15 Pro Max', '11/14/2026 10:00 AM')]);
    expect((await runSource(wh, crmCsvSource, { trigger: 'test' })).status).toBe('success');
    build = await buildWarehouse(wh);
  });
  afterAll(closeAllWarehouses);

  it('merges the deal into the funnel incrementally', async () => {
    expect(build.status).toBe('success');
    expect(await wh.query(`select phone_e164 from staging.int_customer_phone_changes`)).toEqual([]);
    expect(build.results.find((r) => r.model === 'marts.fct_funnel')?.strategy).toBe('incremental');
    expect(await wh.query(`select customer_id, deals, is_ordered from marts.fct_funnel`)).toEqual([{ customer_id: idOf('+85294120001'), deals: 1, is_ordered: true }]);
  });

  it('agrees with a full build of the same data', async () => {
    await wh.run('create schema kept');
    for (const t of SCOPED) await wh.run(`create table kept.${t} as select * from marts.${t}`);
    expect((await buildWarehouse(wh, { full: true })).status).toBe('success');
    for (const t of SCOPED) expect(await differences(wh, `marts.${t}`, `kept.${t}`)).toBe(0);
  });
});
