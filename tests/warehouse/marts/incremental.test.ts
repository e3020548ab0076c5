import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllWarehouses, type Warehouse } from '../../../warehouse/db.ts';
import type { WarehouseBuild } from '../../../warehouse/build.ts';
import { convo, Scenario, serviceWarehouse } from '../../helpers/service-scenario.ts';

/** Every marts table, rows sorted, without load_id (which says when a row was last merged). */
async function snapshot(wh: Warehouse): Promise<Record<string, unknown[]>> {
  const tables = await wh.query<{ table_name: string }>(`select table_name from duckdb_tables() where schema_name = 'marts' order by table_name`);
  const out: Record<string, unknown[]> = {};
  for (const { table_name: t } of tables) {
    const cols = await wh.query<{ column_name: string }>(`select column_name from duckdb_columns() where schema_name = 'marts' and table_name = $1 and column_name <> 'load_id' order by column_index`, [t]);
    const list = cols.map((c) => `"${c.column_name}"`).join(', ');
    out[t] = await wh.query(`select ${list} from marts."${t}" order by ${cols.map((_, i) => i + 1).join(', ')}`);
  }
  return out;
}

describe('incremental builds of the service marts', () => {
  let wh: Warehouse;
  let s: Scenario;
  const builds: WarehouseBuild[] = [];
  let incremental: Record<string, unknown[]>;
  let full: Record<string, unknown[]>;
  let bursts: { conversation_id: string; inbound_at: Date; response_seconds: number | null; assigned_agent_id: string | null }[];
  let c4: { read_at: Date | null; delivered_at: Date | null } | undefined;

  beforeAll(async () => {
    ({ wh } = await serviceWarehouse());
    s = new Scenario(wh);
    s.agentNamed('a1', 'Mandy Lau', 'sales');
    s.agentNamed('a2', 'Kenny Wong', 'sales');
    // Load 1
    const c1 = s.inbound('85296000001', '2026-11-16 10:00:00', 'hi');
    const c1r = s.agent('85296000001', '2026-11-16 10:03:00', 'a1');
    s.inbound('85296000002', '2026-11-16 10:00:00', 'is it in stock?');
    s.inbound('85296000002', '2026-11-16 10:05:00', 'hello?');
    s.inbound('85296000003', '2026-11-16 11:00:00', 'price?');
    const c4r = s.agent('85296000004', '2026-11-16 11:30:00', 'a1', 'Your parcel left today');
    s.status('85296000004', c4r, 'sent', '2026-11-16 11:30:01');
    s.agent('85296000005', '2026-11-16 12:10:00', 'a2');
    s.inbound('85296000005', '2026-11-16 12:20:00', 'thanks');
    s.inbound('85296000006', '2026-11-16 13:00:00', 'can I pay by card?');
    s.inbound('85296000006', '2026-11-16 13:10:00', '?');
    s.agent('85296000006', '2026-11-16 13:15:00', 'a1');
    await s.load();
    builds.push(await s.build());
    // Load 2: a late agent reply splits c2's burst, c3 gets assigned, a late read status,
    // late customer messages before existing ones (c5, c6), a new conversation and Meta
    // delivering c1's first message again.
    s.agent('85296000002', '2026-11-16 10:02:00', 'a2');
    s.ticket('assigned', 't-3', '85296000003', '2026-11-16 11:00:05', 'a2');
    s.status('85296000004', c4r, 'read', '2026-11-16 11:40:00');
    s.inbound('85296000005', '2026-11-16 12:00:00', 'do you ship to Kowloon?');
    s.inbound('85296000006', '2026-11-16 12:55:00', 'hi');
    s.inbound('85296000007', '2026-11-17 09:00:00', 'open today?');
    const c7r = s.agent('85296000007', '2026-11-17 09:01:00', 'a2');
    s.inbound('85296000001', '2026-11-16 10:00:00', 'hi', c1);
    s.status('85296000001', c1r, 'delivered', '2026-11-16 10:03:02');
    await s.load();
    builds.push(await s.build());
    // Load 3: c3 is answered, c7's reply failed, c8 starts in the next week.
    s.agent('85296000003', '2026-11-16 15:00:00', 'a2');
    s.status('85296000007', c7r, 'failed', '2026-11-17 09:01:02');
    s.inbound('85296000008', '2026-11-23 09:00:00', 'hello');
    await s.load();
    builds.push(await s.build());
    incremental = await snapshot(wh);
    bursts = await wh.query(
      `select conversation_id, inbound_at, response_seconds, assigned_agent_id from marts.fct_responses where conversation_id in ($1, $2, $3, $4) order by conversation_id, inbound_at`,
      [convo('85296000002'), convo('85296000003'), convo('85296000005'), convo('85296000006')],
    );
    [c4] = await wh.query(`select read_at, delivered_at from marts.fct_messages where conversation_id = $1`, [convo('85296000004')]);
    builds.push(await s.build('2026-11-24 12:00:00', { full: true }));
    full = await snapshot(wh);
  });
  afterAll(closeAllWarehouses);

  it('merged new loads into the big fact models instead of rebuilding them', () => {
    for (const b of builds) expect(b.status).toBe('success');
    const strategy = (b: WarehouseBuild, model: string) => b.results.find((r) => r.model === model)!.strategy;
    for (const model of ['staging.stg_messages', 'marts.fct_messages', 'marts.fct_responses']) {
      expect(builds.slice(1, 3).map((b) => strategy(b, model))).toEqual(['incremental', 'incremental']);
      expect(strategy(builds[3]!, model)).toBe('full');
    }
  });

  it('gives the same marts as a full build of the same data', () => {
    expect(Object.keys(incremental).sort()).toEqual(expect.arrayContaining(['agg_agent_response_weekly', 'agg_hourly_activity_weekly', 'agg_staffing_hourly', 'dim_agents', 'fct_messages', 'fct_responses', 'rpt_service_efficiency_weekly'])); // and the customer marts
    for (const table of Object.keys(full)) expect({ table, rows: incremental[table] }).toEqual({ table, rows: full[table] });
  });

  it('applied late replies, late statuses and earlier late messages to the bursts they change', () => {
    expect(bursts.map((b) => [b.conversation_id.slice(-2), b.response_seconds, b.assigned_agent_id])).toEqual([
      ['02', 120, null], // split by the late 10:02 reply
      ['02', null, null], // 10:05 stays unanswered
      ['03', 14_400, 'a2'],
      ['05', 600, null], // the late 12:00 message is answered by the 12:10 reply
      ['05', null, null],
      ['06', 1200, null], // the burst now starts at the late 12:55 message; the 13:00 row is gone
    ]);
    expect(c4!.read_at).not.toBeNull();
    expect(c4!.delivered_at).toEqual(c4!.read_at); // a read receipt implies delivery
  });
});
