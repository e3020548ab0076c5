import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllWarehouses, type Warehouse } from '../../../warehouse/db.ts';
import type { WarehouseBuild } from '../../../warehouse/build.ts';
import { BUSINESS_NUMBERS } from '../../../pipelines/demo/catalog.ts';
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

// What can change an outbound message's row without a new message in its conversation:
// a template of another conversation (the daily cap ranks every template of a number-day),
// and a click.
describe('incremental builds of marts.fct_outbound_messages', () => {
  let wh: Warehouse;
  let s: Scenario;
  const builds: WarehouseBuild[] = [];
  let incremental: Record<string, unknown[]>;
  let full: Record<string, unknown[]>;
  let ids: { a: string; b: string; c: string; d: string };

  beforeAll(async () => {
    ({ wh } = await serviceWarehouse({ messaging_limits: { daily_cap_per_number: 1, window_hours: 24 } }));
    s = new Scenario(wh);
    s.agentNamed('a1', 'Mandy Lau', 'sales');
    // Load 1: two templates on Monday 16 Nov (b is over the cap of 1), a conversation with an agent reply.
    const a = s.outbound('85296100001', '2026-11-16 10:00:00', 'template', null);
    const b = s.outbound('85296100002', '2026-11-16 12:00:00', 'template', null);
    s.inbound('85296100003', '2026-11-16 11:00:00', 'hi');
    const c = s.agent('85296100003', '2026-11-16 11:05:00', 'a1');
    s.inbound('85296100005', '2026-11-17 09:00:00', 'hello');
    await s.load();
    builds.push(await s.build());
    // Load 2: a template sent earlier that Monday arrives late (it takes rank 1 from a), a click
    // on c, and a new day for another customer; the conversations of a, b and c get nothing new.
    const d = s.outbound('85296100004', '2026-11-16 09:00:00', 'template', null);
    s.click(c, '2026-11-17 10:00:00');
    s.inbound('85296100005', '2026-11-18 09:00:00', 'still there?');
    await s.load();
    builds.push(await s.build());
    ids = { a, b, c, d };
    incremental = await snapshot(wh);
    builds.push(await s.build('2026-11-24 12:00:00', { full: true }));
    full = await snapshot(wh);
  });
  afterAll(closeAllWarehouses);

  it('merges the affected conversations instead of rebuilding the table', () => {
    for (const b of builds) expect(b.status).toBe('success');
    expect(builds.map((b) => b.results.find((r) => r.model === 'marts.fct_outbound_messages')!.strategy)).toEqual(['full', 'incremental', 'full']);
  });

  it('re-ranks the templates of a number-day and counts late clicks in conversations without new messages', () => {
    const rows = new Map(incremental.fct_outbound_messages!.map((r) => [(r as { message_id: string }).message_id, r as Record<string, unknown>]));
    expect([ids.d, ids.a, ids.b].map((id) => [rows.get(id)!.daily_recipient_rank, rows.get(id)!.is_over_daily_cap])).toEqual([
      [1, false],
      [2, true],
      [3, true],
    ]);
    expect(rows.get(ids.c)!.clicks).toBe(1);
  });

  it('gives the same marts as a full build of the same data', () => {
    expect(Object.keys(incremental)).toContain('fct_outbound_messages');
    for (const table of Object.keys(full)) expect({ table, rows: incremental[table] }).toEqual({ table, rows: full[table] });
  });

  // Runs last: it changes the configuration.
  it('rebuilds it whole, not by merging new loads, when its configuration changes', async () => {
    fs.writeFileSync(path.join(wh.config.configDir, 'messaging_limits.json'), JSON.stringify({ daily_cap_per_number: 3, window_hours: 24 }));
    const build = await s.build();
    expect(build.status).toBe('success');
    expect(build.results.find((r) => r.model === 'marts.fct_outbound_messages')!.strategy).toBe('full');
    expect(build.results.find((r) => r.model === 'marts.fct_messages')!.strategy).toBe('unchanged');
    const over = await wh.query<{ n: number }>(`select count(*)::int as n from marts.fct_outbound_messages where is_over_daily_cap`);
    expect(over).toEqual([{ n: 0 }]);
  });
});

// A ticket event's thread can change without a new event of its ticket: a late message moves
// the customer's latest thread; a csat answer takes its customer from the ticket's earlier events.
describe('incremental builds of staging.stg_conversation_events', () => {
  let wh: Warehouse;
  const builds: WarehouseBuild[] = [];
  let incremental: unknown[];
  let full: unknown[];
  const events = () => wh.query(`select * exclude (load_id) from staging.stg_conversation_events order by event_id`);

  beforeAll(async () => {
    ({ wh } = await serviceWarehouse());
    const s = new Scenario(wh);
    s.agentNamed('a1', 'Mandy Lau', 'sales');
    // Load 1: x writes to the HK number, then a ticket of x without a number; y's ticket names its number.
    s.inbound('85296200001', '2026-11-16 10:00:00', 'hi');
    s.ticketWithoutNumber('assigned', 't-x', '85296200001', '2026-11-16 12:00:00', 'a1');
    s.inbound('85296200002', '2026-11-16 10:00:00', 'hello');
    s.ticket('assigned', 't-y', '85296200002', '2026-11-16 10:01:00', 'a1');
    s.ticket('resolved', 't-y', '85296200002', '2026-11-16 10:30:00', 'a1');
    await s.load();
    builds.push(await s.build());
    // Load 2: x's earlier message to the KR number arrives late (it is x's latest before the
    // ticket event now), y answers the csat of t-y.
    s.inboundTo(BUSINESS_NUMBERS[1]!, '85296200001', '2026-11-16 11:00:00', 'annyeong');
    s.csat('t-y', '2026-11-16 11:00:00', 5);
    await s.load();
    builds.push(await s.build());
    incremental = await events();
    builds.push(await s.build('2026-11-24 12:00:00', { full: true }));
    full = await events();
  });
  afterAll(closeAllWarehouses);

  it('merges the affected tickets instead of rebuilding the table', () => {
    for (const b of builds) expect(b.status).toBe('success');
    expect(builds.map((b) => b.results.find((r) => r.model === 'staging.stg_conversation_events')!.strategy)).toEqual(['full', 'incremental', 'full']);
  });

  it('moves an event to the customer thread a late message makes the latest, and gives a csat answer its ticket customer', () => {
    const byTicket = (t: string) => (incremental as { ticket_id: string; event_type: string; conversation_id: string }[]).filter((e) => e.ticket_id === t).map((e) => [e.event_type, e.conversation_id]);
    expect(byTicket('t-x')).toEqual([['assigned', `${BUSINESS_NUMBERS[1]!.phoneNumberId}:+85296200001`]]);
    expect(byTicket('t-y').sort()).toEqual([['assigned', convo('85296200002')], ['csat', convo('85296200002')], ['resolved', convo('85296200002')]]);
  });

  it('gives the same rows as a full build of the same data', () => {
    expect(incremental).toEqual(full);
  });
});
