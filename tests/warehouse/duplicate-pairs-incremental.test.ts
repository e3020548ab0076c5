import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSource } from '../../pipelines/loader.ts';
import { crmCsvSource } from '../../pipelines/sources/crm-csv.source.ts';
import { whatsappCloudSource } from '../../pipelines/sources/whatsapp-cloud.source.ts';
import { buildWarehouse, type WarehouseBuild } from '../../warehouse/build.ts';
import { closeAllWarehouses, type Warehouse } from '../../warehouse/db.ts';
import { webhookText, writeSalesforceExport, type TestContact, type TestDeal } from '../helpers/crm-files.ts';
import { differences as rowDifferences } from '../helpers/table-differences.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

const contact = (id: string, first: string, last: string, phone: string, modified = '8/1/2026 10:00 AM'): TestContact => ({ id, first, last, phone, created: '8/1/2026 10:00 AM', modified });
const bought = (id: string, contactId: string, product: string, orderDate: string): TestDeal => ({ id, contactId, product, stage: 'Order Placed', created: orderDate, orderDate, modified: orderDate });
/** The duplicate pairs and the models that read them: an incremental build must leave them as a full build does. */
const TABLES = ['int_customer_duplicate_pairs', 'int_customer_duplicate_groups', 'int_customer_possible_duplicates'];

const strategy = (b: WarehouseBuild) => b.results.find((r) => r.model === 'staging.int_customer_duplicate_pairs')?.strategy;

describe('staging.int_customer_duplicate_pairs built incrementally', () => {
  let wh: Warehouse;
  let messages = 0;
  const pairsAfter: string[][] = [];
  const differences: Record<string, number>[] = [];
  const builds: WarehouseBuild[] = [];

  /** WhatsApp messages from numbers under profile names, as a new delivery. */
  const whatsapp = async (from: [phone: string, name: string][]) => {
    const lines = from.map(([phone, name]) => webhookText(phone, name, `wamid.${++messages}`, `2026-11-${String(10 + messages).padStart(2, '0')}T01:00:00Z`));
    fs.writeFileSync(path.join(wh.config.landingDir, 'whatsapp', `wa-${messages}.ndjson`), `${lines.join('\n')}\n`);
    expect((await runSource(wh, whatsappCloudSource, { trigger: 'test' })).status).toBe('success');
  };
  /** Builds incrementally, keeps the tables, builds in full and counts the rows that differ (EXCEPT ALL both ways). */
  const buildAndCompare = async () => {
    builds.push(await buildWarehouse(wh));
    pairsAfter.push((await wh.query<{ p: string }>(`select phone_e164 || '/' || other_phone_e164 as p from staging.int_customer_duplicate_pairs order by 1`)).map((r) => r.p));
    await wh.run('drop schema if exists kept cascade');
    await wh.run('create schema kept');
    for (const t of TABLES) await wh.run(`create table kept.${t} as select * from staging.${t}`);
    expect((await buildWarehouse(wh, { full: true })).status).toBe('success');
    const counts: Record<string, number> = {};
    for (const t of TABLES) counts[t] = await rowDifferences(wh, `staging.${t}`, `kept.${t}`);
    differences.push(counts);
  };

  beforeAll(async () => {
    ({ wh } = await tempWarehouse());
    fs.mkdirSync(path.join(wh.config.landingDir, 'whatsapp'));
    writeSalesforceExport(
      path.join(wh.config.landingDir, 'crm'),
      'sf',
      [
        contact('A1', 'Mandy', 'Wong', '+852 9412 0001'),
        contact('A2', 'Kenny', 'Lee', '+852 9412 0002'),
        contact('A3', 'Peter', 'Chan', '+852 9412 0003'),
        contact('A4', 'Peter', 'Chan', '+852 9412 0004'),
        contact('A5', 'Ivy', 'Ho', '+852 9412 0005'),
      ],
      [
        bought('D1', 'A1', 'iPhone 15 Pro Max', '10/1/2026 10:00 AM'),
        bought('D2', 'A2', 'iPhone 15 Pro Max', '10/11/2026 10:00 AM'),
        bought('D3', 'A3', 'iPhone 15 Pro Max', '10/5/2026 10:00 AM'),
        bought('D4', 'A4', 'iPhone 15 Pro Max', '10/6/2026 10:00 AM'),
        bought('D5', 'A5', 'iPhone 15 Pro Max', '10/7/2026 10:00 AM'),
      ],
    );
    expect((await runSource(wh, crmCsvSource, { trigger: 'test' })).status).toBe('success');
    await whatsapp([['85294120001', 'Mandy Wong'], ['85294120002', 'Kenny Lee'], ['85294120003', 'Peter Chan'], ['85294120005', 'Ivy Ho']]);
    builds.push(await buildWarehouse(wh));
    pairsAfter.push((await wh.query<{ p: string }>(`select phone_e164 || '/' || other_phone_e164 as p from staging.int_customer_duplicate_pairs order by 1`)).map((r) => r.p));
    // 1. Only WhatsApp: number 2 now also goes by "Mandi Wong" (a pair with number 1), number 5 writes again.
    await whatsapp([['85294120002', 'Mandi Wong'], ['85294120005', 'Ivy Ho']]);
    await buildAndCompare();
    // 2. The CRM: contact 4 is renamed (its only name: the pair 3/4 breaks) and Ivy Ho buys again.
    writeSalesforceExport(
      path.join(wh.config.landingDir, 'crm'),
      'sf2',
      [contact('A4', 'Wilson', 'Tam', '+852 9412 0004', '11/20/2026 10:00 AM')],
      [bought('D6', 'A5', 'iPhone 15 Pro Max', '11/2/2026 10:00 AM')],
    );
    expect((await runSource(wh, crmCsvSource, { trigger: 'test' })).status).toBe('success');
    await buildAndCompare();
  }, 240_000);
  afterAll(closeAllWarehouses);

  it('merges after a WhatsApp delivery and after new CRM records instead of rebuilding', () => {
    expect(builds.map((b) => b.status)).toEqual(['success', 'success', 'success']);
    expect(builds.map(strategy)).toEqual(['full', 'incremental', 'incremental']);
  });

  it('finds the pair a new profile name makes and drops the one a CRM rename breaks', () => {
    expect(pairsAfter).toEqual([
      ['+85294120003/+85294120004'],
      ['+85294120001/+85294120002', '+85294120003/+85294120004'],
      ['+85294120001/+85294120002'],
    ]);
  });

  it('leaves the pairs, groups and possible duplicates exactly as a full build of the same data', () => {
    const none = Object.fromEntries(TABLES.map((t) => [t, 0]));
    expect(differences).toEqual([none, none]);
  });
});
