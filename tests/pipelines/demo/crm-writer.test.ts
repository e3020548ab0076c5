import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemo } from '../../../pipelines/demo/write-demo.ts';
import { runAll, type RunAllResult } from '../../../pipelines/run-all.ts';
import { closeAllWarehouses, type Warehouse } from '../../../warehouse/db.ts';
import { count, tempWarehouse } from '../../helpers/temp-warehouse.ts';

describe('demo CRM exports', () => {
  let wh: Warehouse;
  let result: RunAllResult;
  beforeAll(async () => {
    ({ wh } = await tempWarehouse());
    writeDemo({ days: 45, customers: 800, seed: 3, end: '2026-11-23', tz: 'Asia/Hong_Kong' }, wh.config.landingDir);
    result = await runAll(wh, { trigger: 'test' });
  });
  afterAll(closeAllWarehouses);

  it('writes Salesforce exports (comma, CRLF) and Zoho exports (semicolon, BOM)', () => {
    const crm = path.join(wh.config.landingDir, 'crm');
    expect((fs.readdirSync(crm, { recursive: true }) as string[]).filter((f) => f.endsWith('.csv')).sort()).toEqual([
      'salesforce/contacts-2026-11-23.csv', 'salesforce/opportunities-2026-11-23.csv', 'salesforce/opportunity-history-2026-11-23.csv',
      'zoho/contacts-2026-11-23.csv', 'zoho/deals-2026-11-23.csv', 'zoho/stage-history-2026-11-23.csv',
    ]);
    const sf = fs.readFileSync(path.join(crm, 'salesforce', 'contacts-2026-11-23.csv'), 'utf8');
    expect(sf.startsWith('Contact ID,First Name,Last Name,Mobile,')).toBe(true);
    expect(sf).toContain('\r\n');
    // addresses span two lines inside quotes
    expect(sf).toMatch(/,"Flat \d+[A-H], \d+\/F, Block \d+\n[A-Za-z ]+",/);
    const zoho = fs.readFileSync(path.join(crm, 'zoho', 'deals-2026-11-23.csv'));
    expect([...zoho.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(zoho.toString('utf8', 3, 40)).toMatch(/^Record Id;Deal Name;Contact Name;/);
  });

  it('loads through crm-csv with its flaws: a bad number, an unfilled amount, empty tiers, unknown products', async () => {
    const crm = result.runs.find((r) => r.source === 'crm-csv')!;
    expect(crm.status).toBe('success');
    expect(crm.rowsQuarantined).toBe(1);
    expect(await wh.query(`select reason from ops.quarantine where source = 'crm-csv'`)).toEqual([{ reason: expect.stringMatching(/^salesforce-contacts: contact 0035g00000ZZZZZZ phone "12345" is not a valid phone number$/) }]);
    expect(crm.counters.mapping_errors).toBe(1);
    expect(crm.counters.defaults_applied).toBeGreaterThan(0);
    expect(crm.counters.unknown_skus).toBeGreaterThan(0);
    expect(result.build?.status).toBe('success');
  });

  it('gives identity resolution and the review queue something to show', async () => {
    // the same person under a second number who bought the same SKU
    expect(await count(wh, `select count(*) as n from ops.customer_merges m join raw.crm_contacts c on c.phone_e164 = m.merged_phone_e164 where c.record_id like '0035g00001%' or c.record_id like '5725767000001%'`)).toBeGreaterThan(0);
    // a CRM name spelled differently from the WhatsApp profile
    expect(await count(wh, `select count(*) as n from ops.review_queue where kind = 'conflict' and field = 'name' and 'whatsapp profile' in (chosen_source, other_source)`)).toBeGreaterThan(0);
    // deals have a stage history and SKUs
    expect(await count(wh, `select count(*) as n from marts.fct_deals where paid_at > ordered_at and ordered_at > quoted_at and sku is not null`)).toBeGreaterThan(10);
    expect(await count(wh, `select count(*) as n from marts.dim_customers where has_crm_record and has_whatsapp`)).toBeGreaterThan(100);
  });
});
