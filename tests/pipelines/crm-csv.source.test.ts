import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWarehouse } from '../../warehouse/build.ts';
import { runSource } from '../../pipelines/loader.ts';
import { crmCsvSource, crmCsvSourceWith } from '../../pipelines/sources/crm-csv.source.ts';
import type { Source } from '../../pipelines/source.ts';
import { readStatus } from '../../pipelines/status.ts';
import { closeAllWarehouses, type Warehouse } from '../../warehouse/db.ts';
import { FIXTURES, tempWarehouse } from '../helpers/temp-warehouse.ts';

describe('crm-csv source', () => {
  let wh: Warehouse;
  let crmDir: string;
  beforeAll(async () => {
    ({ wh } = await tempWarehouse());
    crmDir = path.join(wh.config.landingDir, 'crm');
    fs.cpSync(path.join(FIXTURES, 'crm-csv'), crmDir, { recursive: true });
  });
  afterAll(closeAllWarehouses);

  it('maps Salesforce and Zoho exports, counts mapping errors and defaults, quarantines what cannot load', async () => {
    const run = await runSource(wh, crmCsvSource, { trigger: 'test' });
    expect(run).toMatchObject({ status: 'success', rowsRead: 18, rowsLoaded: 14, rowsQuarantined: 3 });
    expect(run.counters).toEqual({
      contacts: 6, deals: 5, stage_changes: 3, mapping_errors: 4, defaults_applied: 3, unknown_skus: 1, addresses_without_postal_code: 3, contacts_without_phone: 1, unknown_files: 1,
    });
    const q = await wh.query<{ file: string; line_no: number; reason: string }>(`select regexp_extract(location, 'crm/(.*)$', 1) as file, line_no, reason from ops.quarantine order by file, line_no`);
    expect(q).toEqual([
      { file: 'other/leads.csv', line_no: 1, reason: expect.stringMatching(/^the header of leads\.csv matches no export profile in crm_mapping\.json; profiles and the columns they need: salesforce-opportunity-history \(Opportunity ID, To Stage, Edit Date\);/) },
      { file: 'salesforce/contacts.csv', line_no: 5, reason: 'salesforce-contacts: contact 0035g000003 phone "12345" is not a valid phone number' },
      { file: 'salesforce/contacts.csv', line_no: 8, reason: 'has 13 fields but the header has 12 (a stray delimiter or quote?)' },
    ]);
  });

  it('keeps quoted line breaks and semicolons, applies the default tier, reads each vendor\'s date format and timezone', async () => {
    const contacts = await wh.query(
      `select record_id, name, phone_e164, email, tier, defaulted_fields, country, address, postal_code, strftime(created_at at time zone 'UTC', '%Y-%m-%d %H:%M') as created_utc
       from raw.crm_contacts order by record_id`,
    );
    expect(contacts).toEqual([
      { record_id: '0035g000001', name: 'Tai Man Chan', phone_e164: '+85291234567', email: 'taiman@example.com', tier: 'vip', defaulted_fields: null, country: 'HK', address: 'Flat 3B, 12/F\r\nTaikoo Shing', postal_code: null, created_utc: '2026-10-01 01:30' },
      { record_id: '0035g000002', name: 'Mandy Wong', phone_e164: '+85296123456', email: null, tier: 'new customer', defaulted_fields: 'tier', country: 'HK', address: '1 Nathan Road', postal_code: null, created_utc: '2026-10-02 02:00' },
      { record_id: '0035g000004', name: 'No Phone', phone_e164: null, email: 'nophone@example.com', tier: 'regular', defaulted_fields: null, country: 'HK', address: null, postal_code: null, created_utc: '2026-10-04 02:00' },
      { record_id: '0035g000005', name: 'Kelvin Lau', phone_e164: '+85297123456', email: null, tier: 'regular', defaulted_fields: null, country: null, address: null, postal_code: null, created_utc: '2026-10-04 16:00' },
      { record_id: '5725001', name: '김민준', phone_e164: '+821012345678', email: 'minjun@example.kr', tier: 'vip', defaulted_fields: null, country: 'KR', address: '123 Teheran-ro, Gangnam-gu', postal_code: '06236', created_utc: '2026-10-01 00:00' },
      { record_id: '5725002', name: 'Park Ji-won', phone_e164: '+821022223333', email: null, tier: 'new customer', defaulted_fields: 'tier', country: 'KR', address: '45 Olympic-ro; Songpa-gu', postal_code: null, created_utc: '2026-10-01 00:00' },
    ]);
  });

  it('maps deals: amounts in both decimal styles, stages, payment methods, currency defaults; bad values are left empty', async () => {
    const deals = await wh.query(
      `select record_id, contact_record_id, stage, stage_raw, amount, currency, product_name, sku_raw, payment_method, strftime(ordered_at at time zone 'UTC', '%Y-%m-%d %H:%M') as ordered_utc, strftime(closed_at at time zone 'UTC', '%Y-%m-%d %H:%M') as closed_utc
       from raw.crm_deals order by record_id`,
    );
    expect(deals).toEqual([
      { record_id: '0065g001', contact_record_id: '0035g000001', stage: 'paid', stage_raw: 'Closed Won', amount: 9399, currency: 'HKD', product_name: 'iPhone15 Pro Max', sku_raw: null, payment_method: 'card', ordered_utc: '2026-11-02 07:00', closed_utc: '2026-11-02 16:00' },
      { record_id: '0065g002', contact_record_id: '0035g000002', stage: null, stage_raw: 'Negotiating', amount: null, currency: 'HKD', product_name: 'Dyson V15 Detect', sku_raw: 'DYS-V15', payment_method: 'cod', ordered_utc: null, closed_utc: null },
      { record_id: '0065g003', contact_record_id: '0035g000002', stage: 'ordered', stage_raw: 'Order Placed', amount: 500, currency: 'HKD', product_name: 'Gift Card HK$500', sku_raw: null, payment_method: 'transfer', ordered_utc: '2026-11-06 04:00', closed_utc: null },
      { record_id: '5725901', contact_record_id: '5725001', stage: 'paid', stage_raw: 'Paid', amount: 1698000, currency: 'KRW', product_name: '갤럭시 S24 울트라', sku_raw: null, payment_method: 'cod', ordered_utc: null, closed_utc: '2026-11-03 15:00' },
      { record_id: '5725902', contact_record_id: '5725002', stage: 'quoted', stage_raw: 'Quote Sent', amount: 718000.5, currency: 'KRW', product_name: 'AirPods Pro 2', sku_raw: null, payment_method: 'card', ordered_utc: null, closed_utc: null },
    ]);
  });

  it('normalises products to SKUs in staging and keeps stage history with valid_from / valid_to', async () => {
    expect((await buildWarehouse(wh)).status).toBe('success');
    const deals = await wh.query(`select deal_id, sku, is_unknown_product from staging.stg_crm_deals order by deal_id`);
    expect(deals).toEqual([
      { deal_id: '0065g001', sku: 'APL-IP15PM', is_unknown_product: false },
      { deal_id: '0065g002', sku: 'DYS-V15', is_unknown_product: false },
      { deal_id: '0065g003', sku: null, is_unknown_product: true },
      { deal_id: '5725901', sku: 'SAM-S24U', is_unknown_product: false },
      { deal_id: '5725902', sku: 'APL-APP2', is_unknown_product: false },
    ]);
    const utc = (c: string) => `strftime(${c} at time zone 'UTC', '%Y-%m-%d %H:%M')`;
    const history = await wh.query(`select stage, ${utc('valid_from')} as valid_from, ${utc('valid_to')} as valid_to, is_current from staging.stg_crm_deal_stages where deal_id = '0065g001' order by valid_from`);
    expect(history).toEqual([
      { stage: 'quoted', valid_from: '2026-11-01 03:00', valid_to: '2026-11-02 07:00', is_current: false },
      { stage: 'ordered', valid_from: '2026-11-02 07:00', valid_to: '2026-11-03 01:15', is_current: false },
      { stage: 'paid', valid_from: '2026-11-03 01:15', valid_to: null, is_current: true },
    ]);
    const [fact] = await wh.query(`select stage, ${utc('quoted_at')} as quoted, ${utc('ordered_at')} as ordered, ${utc('paid_at')} as paid, payment_method from marts.fct_deals where deal_id = '0065g001'`);
    expect(fact).toEqual({ stage: 'paid', quoted: '2026-11-01 03:00', ordered: '2026-11-02 07:00', paid: '2026-11-03 01:15', payment_method: 'card' });
  });

  it('reads nothing again until an export changes, then the whole changed file', async () => {
    const again = await runSource(wh, crmCsvSource, { trigger: 'test' });
    expect(again).toMatchObject({ status: 'success', rowsRead: 0, rowsLoaded: 0 });
    const file = path.join(crmDir, 'zoho', 'deals.csv');
    fs.appendFileSync(file, '5725903;XM5;김민준;5725001;;459.000;KRW;Quote Sent;XM5;1;카드;2026-11-05 10:00:00;;2026-11-05 10:00:00\n');
    const changed = await runSource(wh, crmCsvSource, { trigger: 'test' });
    expect(changed).toMatchObject({ status: 'success', rowsRead: 3, rowsLoaded: 3 });
    await buildWarehouse(wh);
    // the two deals read twice are still one deal each
    expect(await wh.query(`select count(*) as n from staging.stg_crm_deals where vendor = 'zoho'`)).toEqual([{ n: 3 }]);
  });

  it('shows mapping errors and their first examples in parley status', async () => {
    const status = await readStatus(wh);
    const csv = status.sources.find((s) => s.source === 'crm-csv')!;
    expect(csv.quarantined).toBe(3);
    // the last run only re-read zoho/deals.csv
    expect(csv.counters).toMatchObject({ deals: 3, defaults_applied: 1 });
    const runs = await wh.query<{ details: string }>(`select details from ops.pipeline_runs where source = 'crm-csv' order by run_id limit 1`);
    const first = JSON.parse(runs[0]!.details) as { counters: Record<string, number>; notes: string[] };
    expect(first.counters.mapping_errors).toBe(4);
    // files in name order: other/leads.csv comes first
    expect(first.notes).toEqual([
      'leads.csv: header matches no export profile',
      'contacts.csv line 7: salesforce-contacts 0035g000005 email: "not-an-email" is not an email address',
      'contacts.csv line 7: salesforce-contacts 0035g000005 country: "Atlantis" is not a known country',
      'opportunities.csv line 3: salesforce-opportunities 0065g002 stage: "Negotiating" is not a known value (known: quoted, ordered, paid, lost)',
      'opportunities.csv line 3: salesforce-opportunities 0065g002 amount: "TBC" is not an amount',
    ]);
  });
});

describe('crm-csv source read piece by piece', () => {
  afterAll(closeAllWarehouses);

  /** Loads the fixture exports (plus `extra` files) with `source` into a fresh warehouse; returns what landed. */
  async function landed(source: Source, extra: Record<string, Buffer> = {}) {
    const { wh } = await tempWarehouse();
    const crmDir = path.join(wh.config.landingDir, 'crm');
    fs.cpSync(path.join(FIXTURES, 'crm-csv'), crmDir, { recursive: true });
    for (const [name, bytes] of Object.entries(extra)) {
      fs.mkdirSync(path.dirname(path.join(crmDir, name)), { recursive: true });
      fs.writeFileSync(path.join(crmDir, name), bytes);
    }
    const run = await runSource(wh, source, { trigger: 'test' });
    const file = `regexp_extract(location, 'crm/(.*)$', 1) as file`;
    const rows = async (table: string) => wh.query(`select * exclude (load_id, location), ${file} from raw.${table} order by file, line_no`);
    return {
      run: { status: run.status, rowsRead: run.rowsRead, rowsLoaded: run.rowsLoaded, rowsQuarantined: run.rowsQuarantined, counters: run.counters },
      notes: (await wh.query<{ details: string }>(`select details from ops.pipeline_runs`)).map((r) => JSON.parse(r.details) as unknown),
      contacts: await rows('crm_contacts'),
      deals: await rows('crm_deals'),
      stages: await rows('crm_deal_stage_changes'),
      quarantine: await wh.query(`select ${file}, line_no, record_id, reason, raw_text from ops.quarantine order by file, line_no`),
      cursors: (await wh.query<{ cursor_key: string; cursor_value: string }>(`select cursor_key, cursor_value from ops.cursors order by cursor_key`)).map((c) => ({ file: c.cursor_key.replace(/^.*crm\//, ''), ...(JSON.parse(c.cursor_value) as object), mtimeMs: undefined })),
    };
  }

  it('lands the same rows, quarantine, counters, notes and cursors when pieces of 5 bytes and groups of 2 rows split every record', async () => {
    const whole = await landed(crmCsvSource);
    expect(whole.contacts.length + whole.deals.length + whole.stages.length).toBe(14);
    const pieces = await landed(crmCsvSourceWith({ readBytes: 5, appendEvery: 2 }));
    expect(pieces).toEqual(whole);
  });

  it('reads UTF-16 exports with their byte order mark, little and big endian, as their UTF-8 original', async () => {
    const original = fs.readFileSync(path.join(FIXTURES, 'crm-csv', 'zoho', 'contacts.csv'));
    const text = original.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(le).swap16();
    expect([...le.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect([...be.subarray(0, 2)]).toEqual([0xfe, 0xff]);
    const got = await landed(crmCsvSourceWith({ readBytes: 3, appendEvery: 1 }), { 'utf16/le.csv': le, 'utf16/be.csv': be });
    const zoho = got.contacts.filter((c) => c.file === 'zoho/contacts.csv').map(({ file: _, ...c }) => c);
    expect(zoho.length).toBeGreaterThan(0);
    for (const name of ['utf16/le.csv', 'utf16/be.csv']) {
      expect(got.contacts.filter((c) => c.file === name).map(({ file: _, ...c }) => c), name).toEqual(zoho);
    }
  });

  it('tells the byte order mark of UTF-16 exports read a byte at a time (pieces shorter than the mark)', async () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'crm-csv', 'zoho', 'contacts.csv')).toString('utf8');
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(le).swap16();
    const got = await landed(crmCsvSourceWith({ readBytes: 1, appendEvery: 1000 }), { 'utf16/le.csv': le, 'utf16/be.csv': be });
    const zoho = got.contacts.filter((c) => c.file === 'zoho/contacts.csv').map(({ file: _, ...c }) => c);
    expect(zoho.length).toBeGreaterThan(0);
    for (const name of ['utf16/le.csv', 'utf16/be.csv']) {
      expect(got.contacts.filter((c) => c.file === name).map(({ file: _, ...c }) => c), name).toEqual(zoho);
    }
    expect(got.quarantine.filter((q) => String(q.file).startsWith('utf16/'))).toEqual([]);
  });

  it('quarantines a record whose quote never closes once it passes maxRecordChars, and loads the rows after it', async () => {
    const header = 'Contact ID,First Name,Last Name,Mobile,Email,Customer Tier,Mailing Street,Mailing City,Mailing Zip/Postal Code,Mailing Country,Created Date,Last Modified Date';
    const contact = (n: number, street: string) => `0035g9000${n},First${n},Last${n},+852 9123 40${n}0,,Regular,${street},Kowloon,,HK,10/2/2026 10:00 AM,11/2/2026 10:00 AM`;
    const bad = contact(2, '"1 Nathan Road');
    const lines = [header, contact(1, 'Road 1'), bad, ...[3, 4, 5, 6, 7].map((n) => contact(n, `Road ${n}`))];
    const maxRecordChars = 300;
    // the open quote would take every line after it: more than the limit
    expect(lines.slice(2).join('\r\n').length).toBeGreaterThan(maxRecordChars);
    const got = await landed(crmCsvSourceWith({ readBytes: 7, appendEvery: 2, maxRecordChars }), { 'bad/contacts.csv': Buffer.from(lines.join('\r\n') + '\r\n') });
    expect(got.run.status).toBe('success');
    expect(got.contacts.filter((c) => c.file === 'bad/contacts.csv').map((c) => [c.line_no, c.record_id])).toEqual([
      [2, '0035g90001'],
      [4, '0035g90003'],
      [5, '0035g90004'],
      [6, '0035g90005'],
      [7, '0035g90006'],
      [8, '0035g90007'],
    ]);
    expect(got.quarantine.filter((q) => q.file === 'bad/contacts.csv')).toEqual([
      {
        file: 'bad/contacts.csv',
        line_no: 3,
        record_id: null,
        reason: 'unclosed quote: record longer than 300 characters (a quoted field opened on line 3 is never closed before it)',
        raw_text: lines.slice(2).join('\r\n').slice(0, maxRecordChars),
      },
    ]);
    // the other exports land as with the default limits
    expect(got.quarantine.filter((q) => q.file !== 'bad/contacts.csv')).toEqual((await landed(crmCsvSource)).quarantine);
  });
});
