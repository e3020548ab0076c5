import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWarehouse } from '../../warehouse/build.ts';
import { runSource } from '../../pipelines/loader.ts';
import { crmCsvSource } from '../../pipelines/sources/crm-csv.source.ts';
import { whatsappCloudSource } from '../../pipelines/sources/whatsapp-cloud.source.ts';
import { closeAllWarehouses, type Warehouse } from '../../warehouse/db.ts';
import { webhookText, writeSalesforceExport, type TestContact, type TestDeal } from '../helpers/crm-files.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

/** The id contract: 'c_' and 12 hex digits of the md5 of the customer's first number. */
const idOf = (e164: string) => `c_${createHash('md5').update(e164).digest('hex').slice(0, 12)}`;

const c = (id: string, first: string, last: string, phone: string, created: string, more: Partial<TestContact> = {}): TestContact => ({ id, first, last, phone, created, modified: created, ...more });
const bought = (id: string, contactId: string, product: string, orderDate: string): TestDeal => ({ id, contactId, product, stage: 'Order Placed', created: orderDate, orderDate, modified: orderDate });

// Each scenario has its own SKU and names, so scenarios cannot match each other.
const CONTACTS: TestContact[] = [
  // names at similarity exactly 0.8 (2 edits in 10 letters), same SKU 10 days apart: one person
  c('A1', 'Mandy', 'Wong', '+852 9412 0001', '8/1/2026 10:00 AM', { tier: 'VIP', email: 'mandy@example.com', modified: '2026-11-20T06:05:00.000Z' }),
  c('A2', 'Mandi', 'Wang', '+852 9412 0002', '8/5/2026 10:00 AM', { tier: 'Regular', modified: '2026-11-21T01:00:00.000Z' }),
  // 2 edits in 9 letters: 0.7778, not the same person (Jaro-Winkler would say 0.92)
  c('B1', 'Kelly', 'Lam', '+852 9412 0003', '8/1/2026 10:00 AM'),
  c('B2', 'Kelli', 'Lan', '+852 9412 0004', '8/1/2026 10:00 AM'),
  // the same name, the same SKU exactly 90 days apart: one person
  c('C1', 'Grace', 'Ho', '+852 9412 0005', '8/1/2026 9:00 AM'),
  c('C2', 'Grace', 'Ho', '+852 9412 0006', '8/2/2026 9:00 AM'),
  // the same name, the same SKU 90 days and 1 minute apart: two people
  c('D1', 'Daniel', 'Yip', '+852 9412 0007', '8/1/2026 9:00 AM'),
  c('D2', 'Daniel', 'Yip', '+852 9412 0008', '8/2/2026 9:00 AM'),
  // the same name, different SKUs on the same day: two people
  c('E1', 'Eric', 'Tam', '+852 9412 0009', '8/1/2026 9:00 AM'),
  c('E2', 'Eric', 'Tam', '+852 9412 0010', '8/2/2026 9:00 AM'),
  // four people called Wing Sze Lo bought the same phone: a crowd, not one person
  ...[11, 12, 13, 14].map((n) => c(`F${n}`, 'Wing Sze', 'Lo', `+852 9412 00${n}`, '8/1/2026 9:00 AM')),
  // two CRM records of one number 250 ms apart: the later tier wins
  c('G1', 'Ivan', 'Ho', '+852 9412 0020', '9/1/2026 9:00 AM', { tier: 'VIP', email: 'ivan@example.com', modified: '2026-11-21T01:00:00.250Z' }),
  c('G2', 'Ivan', 'Ho', '+852 9412 0020', '9/1/2026 9:00 AM', { tier: 'Regular', email: 'ivan.ho@example.com', modified: '2026-11-21T01:00:00.500Z' }),
  // the CRM name is older than the WhatsApp profile name
  c('H1', 'Winnie', 'Kwok', '+852 9412 0030', '9/1/2026 9:00 AM', { modified: '2026-11-10T00:00:00.000Z' }),
];
const DEALS: TestDeal[] = [
  bought('DA1', 'A1', 'iPhone 15 Pro Max', '10/1/2026 10:00 AM'),
  bought('DA2', 'A2', 'iphone15 pro max', '10/11/2026 10:00 AM'),
  bought('DB1', 'B1', 'Galaxy S24 Ultra', '10/1/2026 10:00 AM'),
  bought('DB2', 'B2', 'S24 Ultra', '10/11/2026 10:00 AM'),
  bought('DC1', 'C1', 'AirPods Pro 2', '8/1/2026 10:00 AM'),
  bought('DC2', 'C2', 'AirPods Pro', '10/30/2026 10:00 AM'),
  bought('DD1', 'D1', 'Dyson V15', '8/1/2026 10:00 AM'),
  bought('DD2', 'D2', 'Dyson V15 Detect', '10/30/2026 10:01 AM'),
  bought('DE1', 'E1', 'Sony WH-1000XM5', '10/1/2026 10:00 AM'),
  bought('DE2', 'E2', 'Switch OLED', '10/1/2026 11:00 AM'),
  ...[11, 12, 13, 14].map((n) => bought(`DF${n}`, `F${n}`, 'iPhone 15', `10/${n}/2026 10:00 AM`)),
];
const WEBHOOKS = [webhookText('85294120030', 'Winnie K.', 'wamid.H1', '2026-11-12T00:00:00Z'), webhookText('85294120001', 'Mandy Wong', 'wamid.A1', '2026-07-01T00:00:00Z')];

/** Loads the scenarios (CRM exports, then webhooks, or the other way round) and builds. */
async function loadAndBuild(order: 'crm-first' | 'whatsapp-first'): Promise<Warehouse> {
  const { wh } = await tempWarehouse();
  writeSalesforceExport(path.join(wh.config.landingDir, 'crm'), 'sf', CONTACTS, DEALS);
  fs.mkdirSync(path.join(wh.config.landingDir, 'whatsapp'));
  fs.writeFileSync(path.join(wh.config.landingDir, 'whatsapp', 'wa.ndjson'), `${WEBHOOKS.join('\n')}\n`);
  const sources = order === 'crm-first' ? [crmCsvSource, whatsappCloudSource] : [whatsappCloudSource, crmCsvSource];
  for (const s of sources) expect((await runSource(wh, s, { trigger: 'test' })).status).toBe('success');
  expect((await buildWarehouse(wh)).status).toBe('success');
  return wh;
}

const customerOf = async (wh: Warehouse, phone: string) => (await wh.query<{ customer_id: string }>(`select customer_id from staging.int_customer_phones where phone_e164 = $1`, [phone]))[0]?.customer_id;

describe('identity resolution', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await loadAndBuild('crm-first');
  });
  afterAll(closeAllWarehouses);

  it('merges two numbers at name similarity 0.8 that bought the same SKU within 90 days, under the first number\'s id', async () => {
    expect(await customerOf(wh, '+85294120001')).toBe(idOf('+85294120001'));
    expect(await customerOf(wh, '+85294120002')).toBe(idOf('+85294120001'));
  });

  it('does not merge just below 0.8', async () => {
    expect(await customerOf(wh, '+85294120003')).toBe(idOf('+85294120003'));
    expect(await customerOf(wh, '+85294120004')).toBe(idOf('+85294120004'));
  });

  it('merges at exactly 90 days apart and not one minute later', async () => {
    expect(await customerOf(wh, '+85294120006')).toBe(idOf('+85294120005'));
    expect(await customerOf(wh, '+85294120008')).toBe(idOf('+85294120008'));
  });

  it('needs the same SKU', async () => {
    expect(await customerOf(wh, '+85294120010')).toBe(idOf('+85294120010'));
  });

  it('records each merge with its evidence in ops.customer_merges', async () => {
    const merges = await wh.query(`select customer_id, phone_e164, merged_phone_e164, name, merged_name, name_similarity, sku, days_apart, undone_at from ops.customer_merges order by phone_e164`);
    expect(merges).toEqual([
      { customer_id: idOf('+85294120001'), phone_e164: '+85294120001', merged_phone_e164: '+85294120002', name: 'Mandy Wong', merged_name: 'Mandi Wang', name_similarity: 0.8, sku: 'APL-IP15PM', days_apart: 10, undone_at: null },
      { customer_id: idOf('+85294120005'), phone_e164: '+85294120005', merged_phone_e164: '+85294120006', name: 'Grace Ho', merged_name: 'Grace Ho', name_similarity: 1, sku: 'APL-APP2', days_apart: 90, undone_at: null },
    ]);
  });

  it('leaves a crowd sharing one name apart and asks a person about each pair', async () => {
    const ids = new Set(await Promise.all([11, 12, 13, 14].map((n) => customerOf(wh, `+852941200${n}`))));
    expect(ids.size).toBe(4);
    const reviews = await wh.query<{ details: string }>(`select details from ops.review_queue where kind = 'possible_duplicate' and status = 'open'`);
    expect(reviews).toHaveLength(6);
    expect(JSON.parse(reviews[0]!.details)).toMatchObject({ reason: 'part of a group of 4 similar numbers', sku: 'APL-IP15', name_similarity: 1 });
  });

  it('resolves conflicts by the latest millisecond timestamp and queues each difference for review', async () => {
    const [g] = await wh.query(`select name, tier, email from marts.dim_customers where phone_e164 = '+85294120020'`);
    expect(g).toEqual({ name: 'Ivan Ho', tier: 'regular', email: 'ivan.ho@example.com' });
    const reviews = await wh.query(
      `select field, chosen_value, chosen_source, strftime(chosen_at at time zone 'UTC', '%H:%M:%S.%g') as chosen_at, other_value, other_source, strftime(other_at at time zone 'UTC', '%H:%M:%S.%g') as other_at, status
       from ops.review_queue where customer_id = $1 order by field`,
      [idOf('+85294120020')],
    );
    expect(reviews).toEqual([
      { field: 'email', chosen_value: 'ivan.ho@example.com', chosen_source: 'salesforce contact G2', chosen_at: '01:00:00.500', other_value: 'ivan@example.com', other_source: 'salesforce contact G1', other_at: '01:00:00.250', status: 'open' },
      { field: 'tier', chosen_value: 'regular', chosen_source: 'salesforce contact G2', chosen_at: '01:00:00.500', other_value: 'vip', other_source: 'salesforce contact G1', other_at: '01:00:00.250', status: 'open' },
    ]);
  });

  it('lets a later WhatsApp profile name win over an older CRM name, and queues the difference', async () => {
    const [h] = await wh.query(`select name, tier from marts.dim_customers where phone_e164 = '+85294120030'`);
    // no tier in the CRM: the configured default
    expect(h).toEqual({ name: 'Winnie K.', tier: 'new customer' });
    const [r] = await wh.query(`select chosen_value, chosen_source, other_value, other_source from ops.review_queue where customer_id = $1 and field = 'name'`, [idOf('+85294120030')]);
    expect(r).toEqual({ chosen_value: 'Winnie K.', chosen_source: 'whatsapp profile', other_value: 'Winnie Kwok', other_source: 'salesforce contact H1' });
  });

  it('shows a merged customer once in dim_customers with both numbers', async () => {
    const [a] = await wh.query(`select customer_id, phone_e164, phone_numbers, is_merged, has_whatsapp, has_crm_record, country, deals, strftime(first_contact_at at time zone 'UTC', '%Y-%m-%d %H:%M') as first_contact from marts.dim_customers where customer_id = $1`, [idOf('+85294120001')]);
    // the WhatsApp message of 1 July is earlier than the CRM record of 1 August
    expect(a).toEqual({ customer_id: idOf('+85294120001'), phone_e164: '+85294120001', phone_numbers: ['+85294120001', '+85294120002'], is_merged: true, has_whatsapp: true, has_crm_record: true, country: 'HK', deals: 2, first_contact: '2026-07-01 00:00' });
    const [{ n }] = (await wh.query<{ n: number }>(`select count(*) as n from marts.dim_customers where list_contains(phone_numbers, '+85294120002')`)) as [{ n: number }];
    expect(n).toBe(1);
  });

  it('gives the same customer ids when rebuilt, and when the same data is loaded in another order', async () => {
    const before = await wh.query(`select phone_e164, customer_id from staging.int_customer_phones order by phone_e164`);
    expect((await buildWarehouse(wh, { full: true })).status).toBe('success');
    expect(await wh.query(`select phone_e164, customer_id from staging.int_customer_phones order by phone_e164`)).toEqual(before);
    const other = await loadAndBuild('whatsapp-first');
    expect(await other.query(`select phone_e164, customer_id from staging.int_customer_phones order by phone_e164`)).toEqual(before);
    // a rebuild records nothing twice
    expect(await wh.query(`select count(*) as n from ops.customer_merges`)).toEqual([{ n: 2 }]);
    expect(await wh.query(`select count(*) as n from ops.review_queue`)).toEqual(await other.query(`select count(*) as n from ops.review_queue`));
  });
});
