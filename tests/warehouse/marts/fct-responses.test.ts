import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllWarehouses, type Warehouse } from '../../../warehouse/db.ts';
import { convo, hk, Scenario, serviceWarehouse } from '../../helpers/service-scenario.ts';

type Response = {
  inbound_message_id: string;
  conversation_id: string;
  agent_id: string | null;
  assigned_agent_id: string | null;
  inbound_messages: number;
  reply_message_id: string | null;
  response_seconds: number | null;
  business_response_seconds: number | null;
  is_answered: boolean;
  is_within_service_window: boolean | null;
  session_id: string;
  is_session_start: boolean;
  local_date: string;
  local_weekday: number;
  local_hour: number;
  week: string;
};

// Test business hours: Mon-Fri 09:00-21:00, weekends closed, Thursday 19 Nov 2026 a holiday.
// Week 2026-W47 runs Mon 16 Nov to Sun 22 Nov.
describe('marts.fct_responses', () => {
  let wh: Warehouse;
  const ids: Record<string, string> = {};
  let rows: Map<string, Response>;

  beforeAll(async () => {
    ({ wh } = await serviceWarehouse());
    const s = new Scenario(wh);
    s.agentNamed('a1', 'Mandy Lau', 'sales');
    s.agentNamed('a2', 'Kenny Wong', 'sales');
    // c1: a burst of two, a bot and a template in between, then the agent.
    ids.c1a = s.inbound('85291000001', '2026-11-16 10:00:00', 'hi');
    s.outbound('85291000001', '2026-11-16 10:00:05', 'bot', null, 'Thanks, an agent will be with you shortly');
    ids.c1b = s.inbound('85291000001', '2026-11-16 10:00:30', 'price of the iPhone 15?');
    s.outbound('85291000001', '2026-11-16 10:01:00', 'template', null, 'Your order is on its way');
    ids.c1r = s.agent('85291000001', '2026-11-16 10:03:00', 'a1');
    s.agent('85291000001', '2026-11-16 10:05:00', 'a1', 'Here is a video');
    ids.c1c = s.inbound('85291000001', '2026-11-16 10:10:00', 'ok thanks');
    s.agent('85291000001', '2026-11-16 10:12:30.250', 'a2');
    // c2: only the bot answers; the ticket was assigned to a2.
    ids.c2 = s.inbound('85291000002', '2026-11-16 11:00:00', 'anyone there?');
    s.outbound('85291000002', '2026-11-16 11:00:03', 'bot', null);
    s.ticket('assigned', 't-2', '85291000002', '2026-11-16 11:00:05', 'a2');
    // c3: Sunday 23:50, answered after midnight in the next ISO week.
    ids.c3 = s.inbound('85291000003', '2026-11-22 23:50:00', 'still open?');
    s.agent('85291000003', '2026-11-23 00:10:00', 'a1');
    // c4: Friday 20:30, answered Monday 09:30 (a closed weekend in between).
    ids.c4 = s.inbound('85291000004', '2026-11-20 20:30:00', 'delivery on Saturday?');
    s.agent('85291000004', '2026-11-23 09:30:00', 'a2');
    // c5: 21:00 answered 09:05 the next morning.
    ids.c5 = s.inbound('85291000005', '2026-11-17 21:00:00', 'discount?');
    s.agent('85291000005', '2026-11-18 09:05:00', 'a1');
    // c6: Wednesday 20:00, answered Friday 09:10 after the Thursday holiday.
    ids.c6 = s.inbound('85291000006', '2026-11-18 20:00:00', 'can I pay cash?');
    s.agent('85291000006', '2026-11-20 09:10:00', 'a2');
    // c7: sessions, a reaction and the 24-hour window.
    ids.c7a = s.inbound('85291000007', '2026-11-16 12:00:00', 'hello');
    const c7r = s.agent('85291000007', '2026-11-16 12:02:00', 'a1');
    s.inboundOf('85291000007', '2026-11-16 12:03:00', { type: 'reaction', messageId: c7r, emoji: '👍' });
    ids.c7b = s.inbound('85291000007', '2026-11-17 15:00:00', 'one more question');
    s.inbound('85291000007', '2026-11-17 20:00:00', 'hello?');
    s.agent('85291000007', '2026-11-18 16:00:00', 'a1');
    ids.c7c = s.inbound('85291000007', '2026-11-18 16:30:00', 'great');
    s.agent('85291000007', '2026-11-18 16:31:00', 'a1');
    // c8: answered 25 hours later, outside the customer service window.
    ids.c8 = s.inbound('85291000008', '2026-11-16 13:00:00', 'is it in stock?');
    s.agent('85291000008', '2026-11-17 14:00:00', 'a2');
    await s.load();
    const build = await s.build();
    expect(build.status).toBe('success');
    rows = new Map((await wh.query<Response>('select * exclude (local_date), cast(local_date as varchar) as local_date from marts.fct_responses')).map((r) => [r.inbound_message_id, r]));
  });
  afterAll(closeAllWarehouses);

  it('makes one row per burst, keyed by its first message', () => {
    expect([...rows.keys()].sort()).toEqual([ids.c1a, ids.c1c, ids.c2, ids.c3, ids.c4, ids.c5, ids.c6, ids.c7a, ids.c7b, ids.c7c, ids.c8].sort());
  });

  it('times a burst from its first message to the first agent reply, skipping bot and template messages', () => {
    expect(rows.get(ids.c1a!)).toMatchObject({ conversation_id: convo('85291000001'), inbound_messages: 2, agent_id: 'a1', reply_message_id: ids.c1r, response_seconds: 180, business_response_seconds: 180, is_answered: true });
    // a second agent message does not open a burst; the next customer message does
    expect(rows.get(ids.c1c!)).toMatchObject({ inbound_messages: 1, agent_id: 'a2', response_seconds: 150.25 });
  });

  it('keeps an unanswered burst with no time (never zero) and the agent it was assigned to', () => {
    expect(rows.get(ids.c2!)).toMatchObject({ is_answered: false, agent_id: null, assigned_agent_id: 'a2', reply_message_id: null, response_seconds: null, business_response_seconds: null, is_within_service_window: null });
  });

  it('puts a reply after midnight in the week, day and hour of the burst', () => {
    expect(rows.get(ids.c3!)).toMatchObject({ response_seconds: 1200, week: '2026-W47', local_date: '2026-11-22', local_weekday: 7, local_hour: 23, business_response_seconds: 0 });
  });

  it('counts only opening hours in business_response_seconds', () => {
    // 21:00 -> 09:05 next morning: 5 business minutes, 12 h 5 min on the wall clock
    expect(rows.get(ids.c5!)).toMatchObject({ response_seconds: 43_500, business_response_seconds: 300 });
    // Fri 20:30 -> Mon 09:30: 30 min on Friday + 30 min on Monday; the weekend is closed
    expect(rows.get(ids.c4!)).toMatchObject({ response_seconds: 61 * 3600, business_response_seconds: 3600, local_weekday: 5, local_hour: 20 });
    // Wed 20:00 -> Fri 09:10: 1 h on Wednesday, nothing on the Thursday holiday, 10 min on Friday
    expect(rows.get(ids.c6!)).toMatchObject({ response_seconds: 37 * 3600 + 600, business_response_seconds: 4200 });
  });

  it('ignores reactions and starts a session when the previous customer message is over 24 hours old', () => {
    expect(rows.get(ids.c7a!)).toMatchObject({ response_seconds: 120, is_session_start: true, session_id: ids.c7a });
    // the reaction at 12:03 opened no burst; 15:00 next day is 27 h after 12:00: a new session
    expect(rows.get(ids.c7b!)).toMatchObject({ inbound_messages: 2, response_seconds: 25 * 3600, is_session_start: true, session_id: ids.c7b });
    // 16:30 is 20.5 h after the last message of the previous burst: same session
    expect(rows.get(ids.c7c!)).toMatchObject({ response_seconds: 60, is_session_start: false, session_id: ids.c7b });
  });

  it('flags replies inside the 24-hour customer service window of the burst\'s last message', () => {
    expect(rows.get(ids.c7b!)!.is_within_service_window).toBe(true); // 20 h after the 20:00 message
    expect(rows.get(ids.c8!)).toMatchObject({ response_seconds: 25 * 3600, is_within_service_window: false });
    expect(rows.get(ids.c1a!)!.is_within_service_window).toBe(true);
  });

  it('fills fct_messages with local time, ISO week and emoji flags', async () => {
    const msgs = await wh.query<{ message_id: string; local_weekday: number; local_hour: number; week: string; has_emoji: boolean; customer_id: string | null; sender_kind: string }>(
      `select message_id, local_weekday, local_hour, week, has_emoji, customer_id, sender_kind from marts.fct_messages where conversation_id = $1 order by sent_at`,
      [convo('85291000007')],
    );
    expect(msgs.map((m) => [m.local_weekday, m.local_hour, m.week, m.has_emoji, m.sender_kind])).toEqual([
      [1, 12, '2026-W47', false, 'customer'],
      [1, 12, '2026-W47', false, 'agent'],
      [1, 12, '2026-W47', true, 'customer'],
      [2, 15, '2026-W47', false, 'customer'],
      [2, 20, '2026-W47', false, 'customer'],
      [3, 16, '2026-W47', false, 'agent'],
      [3, 16, '2026-W47', false, 'customer'],
      [3, 16, '2026-W47', false, 'agent'],
    ]);
    expect(new Set(msgs.map((m) => m.customer_id)).size).toBe(1);
    expect(msgs[0]!.customer_id).toMatch(/^c_[0-9a-f]{12}$/);
    const [sent] = await wh.query<{ sent_at: Date }>('select sent_at from marts.fct_messages where message_id = $1', [ids.c3!]);
    expect(sent!.sent_at.getTime()).toBe(hk('2026-11-22 23:50:00'));
  });
});
