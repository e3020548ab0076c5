import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDataVersion } from '../../../warehouse/data-version.ts';
import { closeAllWarehouses, type Warehouse } from '../../../warehouse/db.ts';
import { freshnessCheck } from '../../../warehouse/quality/freshness.ts';
import { sampleSyncCheck } from '../../../warehouse/quality/sample-sync.ts';
import { scrmEventsSource } from '../../../pipelines/sources/scrm-events.source.ts';
import { whatsappCloudSource } from '../../../pipelines/sources/whatsapp-cloud.source.ts';
import type { Source } from '../../../pipelines/source.ts';
import type { CheckResult } from '../../../warehouse/quality/check.ts';
import { hk, Scenario, serviceWarehouse } from '../../helpers/service-scenario.ts';

type Dq = { build_id: number; check_name: string; level: string; status: string; observed: number | null; threshold: number | null; details: string };

async function marts(wh: Warehouse): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of ['fct_messages', 'fct_responses', 'agg_agent_response_weekly', 'rpt_service_efficiency_weekly', 'agg_staffing_hourly']) {
    out[t] = await wh.query(`select * from marts.${t} order by all`);
  }
  return out;
}

describe('data-quality checks', () => {
  let wh: Warehouse;
  let s: Scenario;

  beforeAll(async () => {
    ({ wh } = await serviceWarehouse({ quality: { freshness: { default: { warn_age_hours: 24, error_lag_hours: 72 }, 'whatsapp-cloud': { warn_age_hours: 12, error_lag_hours: 48 } }, sample_size: 50 } }));
    s = new Scenario(wh);
    s.agentNamed('a1', 'Mandy Lau', 'sales');
    s.inbound('85297000001', '2026-11-16 10:00:00', 'hi');
    s.agent('85297000001', '2026-11-16 10:02:00', 'a1');
    s.inbound('85297000002', '2026-11-16 10:00:00', 'price?');
    s.agent('85297000002', '2026-11-16 10:05:00', 'a9'); // an agent the SCRM never named
    await s.load();
  });
  afterAll(closeAllWarehouses);

  it('runs with the build and stores every result in ops.dq_results', async () => {
    const build = await s.build('2026-11-16 12:00:00');
    expect(build.status).toBe('success');
    const stored = await wh.query<Dq>('select * from ops.dq_results where build_id = $1 order by check_name', [build.buildId]);
    expect(stored).toHaveLength(build.checks.length);
    const names = stored.map((r) => r.check_name);
    for (const name of [
      'unique_key:marts.fct_messages', 'not_null_key:marts.fct_responses', 'unique_key:staging.stg_messages',
      'relationship:marts.fct_messages.conversation_id->staging.stg_conversations.conversation_id', 'not_null:marts.fct_messages.customer_id',
      'accepted_values:marts.fct_messages.sender_kind', 'freshness:whatsapp-cloud', 'freshness_lag:scrm-events', 'sample_synced_fields:messages',
    ]) expect(names).toContain(name);
    expect(stored.filter((r) => r.status === 'fail')).toEqual([]);
    expect(stored.find((r) => r.check_name === 'sample_synced_fields:messages')).toMatchObject({ status: 'pass', observed: 0, details: '4 sampled raw messages match marts.fct_messages' });
  });

  it('reports a failed warn-level check without failing the build', async () => {
    const build = await s.build('2026-11-16 12:00:00');
    expect(build.status).toBe('success');
    expect(build.checks.find((c) => c.check_name === 'expect:dim_agents.named')).toMatchObject({ level: 'warn', status: 'warn', observed: 1 });
  });

  it('compares the raw sample with the marts once per local day', async () => {
    const sample = (b: { checks: readonly { check_name: string }[] }) => b.checks.filter((c) => c.check_name === 'sample_synced_fields:messages').length;
    expect(sample(await s.build('2026-11-16 23:00:00'))).toBe(0); // already ran on 16 Nov (HK)
    expect(sample(await s.build('2026-11-17 00:30:00'))).toBe(1); // a new day in Hong Kong
  });

  it('finds marts that no longer say what the source said', async () => {
    await wh.withConnection(async (conn) => {
      await conn.run('begin transaction');
      try {
        await conn.run(`update marts.fct_messages set text = 'changed' where direction = 'inbound'`);
        const [result] = await sampleSyncCheck().run({ conn, config: wh.config, buildId: 0, snapshotLoadId: 1_000_000, now: new Date(hk('2030-01-01 12:00:00')), models: [] });
        expect(result).toMatchObject({ status: 'fail', observed: 2 });
        expect(result!.details).toMatch(/2 of 4 sampled raw messages differ from marts.fct_messages: wamid\.in\.\d+\.\d+: text differs/);
      } finally {
        await conn.run('rollback');
      }
    });
  });

  it('warns when a source is old and fails when it falls behind the other sources', async () => {
    await wh.run(`create table raw.crm_test (modified_at timestamptz)`);
    await wh.run(`insert into raw.crm_test values ($1::timestamptz)`, [new Date(hk('2026-11-13 09:00:00'))]);
    const crm = { name: 'crm-test', description: 'a CRM that stopped syncing', freshness: { table: 'raw.crm_test', column: 'modified_at' }, read: () => { throw new Error('not read here'); } };
    const check = (local: string, sources: Source[]) =>
      wh.withConnection((conn) => freshnessCheck(sources).run({ conn, config: wh.config, buildId: 0, snapshotLoadId: 0, now: new Date(hk(local)), models: [] }));
    const summary = (rows: CheckResult[]) => rows.map((r) => `${r.check_name} ${r.level} ${r.status} ${r.observed}/${r.threshold}`);
    // newest WhatsApp message 10:00 and SCRM event 10:05 on 16 Nov
    expect(summary(await check('2026-11-16 21:00:00', [whatsappCloudSource, scrmEventsSource]))).toEqual([
      'freshness:whatsapp-cloud warn pass 11/12',
      'freshness_lag:whatsapp-cloud error pass 0.1/48',
      'freshness:scrm-events warn pass 10.9/24',
      'freshness_lag:scrm-events error pass 0/72',
    ]);
    // a week later both are old but consistent: warnings only
    expect(summary(await check('2026-11-23 10:00:00', [whatsappCloudSource, scrmEventsSource]))).toEqual([
      'freshness:whatsapp-cloud warn warn 168/12',
      'freshness_lag:whatsapp-cloud error pass 0.1/48',
      'freshness:scrm-events warn warn 167.9/24',
      'freshness_lag:scrm-events error pass 0/72',
    ]);
    // a source 73 h behind the others fails
    const lagging = await check('2026-11-16 12:00:00', [whatsappCloudSource, scrmEventsSource, crm]);
    expect(summary(lagging).slice(4)).toEqual(['freshness:crm-test warn warn 75/24', 'freshness_lag:crm-test error fail 73.1/72']);
    expect(lagging[5]!.details).toContain('raise error_lag_hours in config/quality.json');
    await wh.run('drop table raw.crm_test');
  });

  it('rolls the whole build back when an error-level check fails, keeping the previous marts readable and unchanged', async () => {
    const before = await marts(wh);
    const versionBefore = await wh.withConnection(readDataVersion);
    // A source bug lets an outbound message with an unknown sender kind into raw.
    await wh.run(`insert into ops.loads values (nextval('ops.load_id_seq'), 0, 'scrm-events', now(), 1, 0)`);
    await wh.run(
      `insert into raw.scrm_events select (select max(load_id) from ops.loads), 'bug.ndjson', 1, 'message.sent', $1::timestamptz, '+85297000001',
         '{"type":"message.sent","wamid":"wamid.robot","phone_number_id":"1098765","to":"85297000001","agent_id":null,"kind":"robot","text":"beep"}'`,
      [new Date(hk('2026-11-16 11:00:00'))],
    );
    const build = await s.build('2026-11-16 12:00:00');
    expect(build).toMatchObject({ status: 'failed', rolledBack: true });
    expect(build.error).toMatch(/^rolled back, the previous tables are kept: 1 error-level data-quality check failed: accepted_values:marts.fct_messages.sender_kind/);
    expect(await marts(wh)).toEqual(before);
    expect(await wh.query(`select count(*) as n from marts.fct_messages where message_id = 'wamid.robot'`)).toEqual([{ n: 0 }]);
    expect(await wh.withConnection(readDataVersion)).toBe(versionBefore);
    const [failed] = await wh.query<Dq>(`select * from ops.dq_results where build_id = $1 and status = 'fail'`, [build.buildId]);
    expect(failed).toMatchObject({ check_name: 'accepted_values:marts.fct_messages.sender_kind', level: 'error', observed: 1, threshold: 0 });
    expect(failed!.details).toContain('"robot"');
    const [recorded] = await wh.query<{ status: string; error: string }>('select status, error from ops.builds where build_id = $1', [build.buildId]);
    expect(recorded).toMatchObject({ status: 'failed' });
    // The next build tries the same loads again (the incremental state was rolled back too).
    expect((await s.build('2026-11-16 12:00:00')).status).toBe('failed');
  });
});
