import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configFor } from '../../config/config.ts';
import { buildWarehouse } from '../../warehouse/build.ts';
import { purgeExpired } from '../../pipelines/retention.ts';
import { runAll } from '../../pipelines/run-all.ts';
import { closeAllWarehouses, type Warehouse } from '../../warehouse/db.ts';
import { webhookText, writeSalesforceExport } from '../helpers/crm-files.ts';
import { count, tempConfig, tempWarehouse } from '../helpers/temp-warehouse.ts';

const NOW = new Date('2026-11-28T00:00:00Z');

/** Chat history from January (older than 180 days) and November, and one CRM record from January. */
function writeLanding(landing: string): void {
  fs.mkdirSync(path.join(landing, 'whatsapp'), { recursive: true });
  fs.writeFileSync(path.join(landing, 'whatsapp', 'wa.ndjson'), [webhookText('85294120001', 'Old', 'wamid.OLD', '2026-01-10T00:00:00Z'), webhookText('85294120001', 'New', 'wamid.NEW', '2026-11-10T00:00:00Z')].join('\n') + '\n');
  fs.mkdirSync(path.join(landing, 'scrm'), { recursive: true });
  const sent = (wamid: string, at: string) => JSON.stringify({ type: 'message.sent', at, wamid, phone_number_id: '1098765', to: '85294120001', agent_id: 'a1', kind: 'agent', text: 'hi' });
  fs.writeFileSync(path.join(landing, 'scrm', 'scrm.ndjson'), [sent('wamid.OUT-OLD', '2026-01-10T00:01:00Z'), sent('wamid.OUT-NEW', '2026-11-10T00:01:00Z')].join('\n') + '\n');
  writeSalesforceExport(path.join(landing, 'crm'), 'sf', [{ id: 'A1', first: 'Old', last: 'Friend', phone: '+852 9412 0001', created: '1/10/2026 9:00 AM', modified: '1/10/2026 9:00 AM' }], []);
}

describe('retention', () => {
  afterAll(closeAllWarehouses);

  it('refuses less than 180 days', () => {
    const { dir } = tempConfig();
    expect(() => configFor(dir, { PARLEY_RETENTION_DAYS: '179' })).toThrow(/PARLEY_RETENTION_DAYS=179 is refused: chat history is kept at least 180 days/);
    expect(configFor(dir, { PARLEY_RETENTION_DAYS: '180' }).retentionDays).toBe(180);
  });

  it('purges raw and staging chat history older than the retention, by the time the messages were sent, and keeps CRM records', async () => {
    const { wh } = await tempWarehouse();
    writeLanding(wh.config.landingDir);
    await runAll(wh, { trigger: 'test', now: () => NOW });
    expect(await count(wh, 'select count(*) as n from staging.stg_messages')).toBe(4);
    await expect(purgeExpired(wh, { days: 90, now: NOW })).rejects.toThrow(/retention of 90 days refused/);
    const purged = await purgeExpired(wh, { days: 180, now: NOW });
    // the incremental models downstream keep what their inputs lost, so they are purged too
    expect(purged).toEqual({
      'raw.whatsapp_payloads': 1,
      'raw.scrm_events': 1,
      'staging.stg_whatsapp_messages': 1,
      'staging.stg_scrm_events': 1,
      'staging.stg_messages': 2,
      'staging.int_message_text': 2,
      'marts.fct_messages': 2,
      'marts.fct_responses': 1,
      'marts.fct_outbound_messages': 1,
    });
    expect((await buildWarehouse(wh)).status).toBe('success');
    expect(await wh.query(`select message_id from staging.stg_messages order by 1`)).toEqual([{ message_id: 'wamid.NEW' }, { message_id: 'wamid.OUT-NEW' }]);
    expect(await wh.query(`select message_id from marts.fct_messages order by 1`)).toEqual([{ message_id: 'wamid.NEW' }, { message_id: 'wamid.OUT-NEW' }]);
    expect(await wh.query(`select message_id from marts.fct_outbound_messages order by 1`)).toEqual([{ message_id: 'wamid.OUT-NEW' }]);
    expect(await count(wh, 'select count(*) as n from raw.crm_contacts')).toBe(1);
  });

  it('runs in parley run when PARLEY_RETENTION_DAYS is set', async () => {
    const { wh } = (await tempWarehouse({ PARLEY_RETENTION_DAYS: '200' })) as { wh: Warehouse };
    writeLanding(wh.config.landingDir);
    const result = await runAll(wh, { trigger: 'test', now: () => NOW });
    expect(result.purged).toEqual({ 'raw.whatsapp_payloads': 1, 'raw.scrm_events': 1 });
    expect(await wh.query(`select message_id from staging.stg_messages order by 1`)).toEqual([{ message_id: 'wamid.NEW' }, { message_id: 'wamid.OUT-NEW' }]);
  });
});
