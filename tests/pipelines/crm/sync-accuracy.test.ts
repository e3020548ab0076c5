import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFor } from '../../../config/config.ts';
import { buildWarehouse } from '../../../warehouse/build.ts';
import { checkCrmSyncAccuracy } from '../../../pipelines/crm/sync-accuracy.ts';
import { runSource } from '../../../pipelines/loader.ts';
import { createCrmApiSource } from '../../../pipelines/sources/crm-api.source.ts';
import { readStatus } from '../../../pipelines/status.ts';
import { closeAllWarehouses, openWarehouse, type Warehouse } from '../../../warehouse/db.ts';
import { startFakeCrm, testConfigDir, type FakeCrm } from '../../helpers/fake-crm.ts';
import { tempDir } from '../../helpers/temp-dirs.ts';

const contact = (id: string, phone: string) => ({ id, properties: { firstname: `Person ${id}`, mobilephone: phone, createdate: '2026-10-01T02:00:00.000Z', hs_lastmodifieddate: '2026-11-01T02:00:00.000Z' } });
const deal = (id: string, amount: string) => ({
  id,
  properties: { amount, dealstage: 'closedwon', createdate: '2026-11-01T03:00:00.000Z', closedate: '2026-11-03T04:00:00.000Z', hs_lastmodifieddate: '2026-11-03T05:00:00.000Z', product_name: 'XM5' },
});

describe('daily CRM sync accuracy check', () => {
  let crm: FakeCrm;
  let wh: Warehouse;
  const now = () => new Date('2026-11-20T00:00:00Z');
  beforeAll(async () => {
    crm = await startFakeCrm({
      contacts: [contact('1', '+85291234567'), contact('2', '+85296123456'), contact('3', '+85297123456')],
      deals: [deal('11', '100.00'), deal('12', '200.00'), deal('13', '300.00')],
    });
    const dir = tempDir('parley-sync-');
    wh = await openWarehouse(configFor(dir, { PARLEY_CONFIG_DIR: testConfigDir(dir, { max_attempts: 1 }), CRM_API_URL: crm.url }));
    const run = await runSource(wh, createCrmApiSource({ sleep: async () => {} }), { trigger: 'test', now });
    expect(run.status).toBe('success');
    expect((await buildWarehouse(wh)).status).toBe('success');
  });
  afterAll(async () => {
    await crm.close();
    await closeAllWarehouses();
  });

  it('passes when every sampled field matches, and records the accuracy', async () => {
    const result = await checkCrmSyncAccuracy(wh, { now, random: () => 0.5 });
    // 3 contacts x (phone, created) + 3 deals x (amount, stage, created, closed) = 18 fields
    expect(result).toMatchObject({ status: 'pass', accuracy: 1, details: { sampled: 6, fields_compared: 18, fields_matched: 18 } });
    const [row] = await wh.query(`select check_name, level, status, observed, threshold from ops.dq_results where check_name = 'crm_sync_accuracy'`);
    expect(row).toEqual({ check_name: 'crm_sync_accuracy', level: 'error', status: 'pass', observed: 1, threshold: 0.99 });
  });

  it('runs once a day unless forced', async () => {
    expect(await checkCrmSyncAccuracy(wh, { now: () => new Date('2026-11-20T23:00:00Z') })).toBeNull();
  });

  it('fails below 99%: a wrong amount, a deleted record; records changed since the sync are left out', async () => {
    crm.deals = [deal('11', '150.00'), { ...deal('12', '999.00'), properties: { ...deal('12', '999.00').properties, hs_lastmodifieddate: '2026-11-19T00:00:00.000Z' } }, deal('13', '300.00')];
    crm.contacts = crm.contacts.filter((c) => c.id !== '3');
    const result = await checkCrmSyncAccuracy(wh, { now: () => new Date('2026-11-21T01:00:00Z') });
    // compared: contacts 1, 2 (4 fields) + contact 3 missing (2 fields, both wrong) + deals 11, 13 (8 fields, amount of 11 wrong); deal 12 changed since
    expect(result).toMatchObject({
      status: 'fail',
      details: { fields_compared: 14, fields_matched: 11, changed_since_sync: 1, missing_in_crm: 1 },
    });
    expect(result!.accuracy).toBeCloseTo(11 / 14, 10);
    expect(result!.details.mismatches).toEqual([
      { object: 'contacts', id: '3', field: 'phone_e164' },
      { object: 'contacts', id: '3', field: 'created_at' },
      { object: 'deals', id: '11', field: 'amount' },
    ]);
    const status = await readStatus(wh);
    expect(status.dataQuality.filter((c) => c.checkName === 'crm_sync_accuracy')).toMatchObject([{ checkName: 'crm_sync_accuracy', status: 'fail', threshold: 0.99 }]);
  });
});
