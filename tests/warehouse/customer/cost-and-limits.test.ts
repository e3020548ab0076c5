import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllWarehouses, type Warehouse } from '../../../warehouse/db.ts';
import { buildOnly, createAllTables, replaceRows } from '../../helpers/mart-rows.ts';
import { serviceWarehouse } from '../../helpers/service-scenario.ts';

const RATE_CARD = {
  currency: 'USD',
  markets: { apac: ['852', '82'] },
  rates: [
    { market: 'apac', category: 'marketing', effective_from: '2026-01-01', price_usd: 0.05 },
    { market: 'apac', category: 'marketing', effective_from: '2026-11-10', price_usd: 0.08 },
    { market: 'apac', category: 'utility', effective_from: '2026-01-01', price_usd: 0.01 },
    { market: '*', category: 'marketing', effective_from: '2026-01-01', price_usd: 0.02 },
  ],
};

/** An outbound message row of marts.fct_messages (times in UTC). */
function out(id: string, phone: string, kind: string, sentUtc: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    message_id: id,
    conversation_id: `1098765:${phone}`,
    customer_id: `c${phone}`,
    customer_phone_e164: phone,
    phone_number_id: '1098765',
    direction: 'outbound',
    sender_kind: kind,
    sent_at: `${sentUtc}+00`,
    local_date: '2026-11-09',
    week: '2026-W46',
    has_emoji: false,
    is_billable: false,
    ...extra,
  };
}

function inbound(id: string, phone: string, sentUtc: string): Record<string, unknown> {
  return { message_id: id, conversation_id: `1098765:${phone}`, customer_id: `c${phone}`, customer_phone_e164: phone, phone_number_id: '1098765', direction: 'inbound', sender_kind: 'customer', sent_at: `${sentUtc}+00`, local_date: '2026-11-09' };
}

describe('message cost and messaging limits', () => {
  let wh: Warehouse;
  let sends: Map<string, Record<string, unknown>>;

  beforeAll(async () => {
    ({ wh } = await serviceWarehouse({ rate_card: RATE_CARD, messaging_limits: { daily_cap_per_number: 2, window_hours: 24 } }));
    await createAllTables(wh);
    const marketing = { sender_kind: 'template', pricing_category: 'marketing', is_billable: true };
    // local_date is set by hand: every send counts on one local day of the number
    await replaceRows(wh, 'marts.fct_messages', [
      // rate card across the 10 Nov (UTC) price change, by market
      out('m1', '+85291000001', 'template', '2026-11-09 23:00:00', { ...marketing, delivered_at: '2026-11-09 23:30:00+00' }), // 0.05
      out('m2', '+85291000002', 'template', '2026-11-09 23:50:00', { ...marketing, delivered_at: '2026-11-10 00:10:00+00' }), // 0.08
      out('m3', '+447700900003', 'template', '2026-11-09 12:00:00', { ...marketing, delivered_at: '2026-11-09 12:00:05+00' }), // "*": 0.02
      out('m4', '+85291000001', 'template', '2026-11-09 13:00:00', { ...marketing, failed_at: '2026-11-09 13:00:02+00', error_code: 131026 }), // failed: 0
      out('m5', '+821012345678', 'template', '2026-11-09 14:00:00', { sender_kind: 'template', pricing_category: 'utility', is_billable: true, delivered_at: '2026-11-09 14:00:03+00' }), // 0.01
      // the customer service window of +85291000009: opened 9 Nov 02:00 UTC
      inbound('i9', '+85291000009', '2026-11-09 02:00:00'),
      out('a1', '+85291000009', 'agent', '2026-11-10 01:59:00', { pricing_category: 'service', delivered_at: '2026-11-10 01:59:02+00' }), // 23 h 59 min: inside
      out('a2', '+85291000009', 'agent', '2026-11-10 02:01:00', { failed_at: '2026-11-10 02:01:01+00', error_code: 131047 }), // 24 h 1 min: violation, refused
      out('b1', '+85291000009', 'bot', '2026-11-10 03:00:00'), // violation
    ]);
    await buildOnly(wh, ['marts.fct_outbound_messages', 'marts.agg_messaging_limits_daily']);
    sends = new Map((await wh.query<Record<string, unknown>>(`select * from marts.fct_outbound_messages`)).map((r) => [String(r.message_id), r]));
  });
  afterAll(closeAllWarehouses);

  it('prices delivered billable messages by market and category, at the rate in effect on the delivery date', async () => {
    const cost = (id: string) => sends.get(id)!.cost_usd;
    expect([cost('m1'), cost('m2'), cost('m3'), cost('m4'), cost('m5'), cost('a1')]).toEqual([0.05, 0.08, 0.02, 0, 0.01, 0]);
    expect(sends.get('m3')!.market).toBe('*');
    expect(sends.get('m5')!.market).toBe('apac');
    const [total] = await wh.query<{ usd: number }>(`select round(sum(cost_usd), 6) as usd from marts.fct_outbound_messages`);
    expect(total!.usd).toBe(0.16);
  });

  it('marks free-form sends after the 24-hour window as violations and templates there as allowed', () => {
    expect(sends.get('a1')).toMatchObject({ is_in_window: true, is_window_violation: false });
    expect(sends.get('a2')).toMatchObject({ is_in_window: false, is_window_violation: true, is_refused_reengagement: true });
    expect(sends.get('b1')).toMatchObject({ is_window_violation: true, is_refused_reengagement: false });
    expect(sends.get('m1')).toMatchObject({ is_in_window: false, is_window_violation: false, is_business_initiated: true });
  });

  it('counts template sends to customers beyond the daily cap of a number', async () => {
    // 9 Nov: templates to +447700900003 (12:00), +85291000001 (13:00 and 23:00), +821012345678 (14:00), +85291000002 (23:50): cap 2
    expect(['m3', 'm4', 'm5', 'm1', 'm2'].map((id) => [sends.get(id)!.daily_recipient_rank, sends.get(id)!.is_over_daily_cap])).toEqual([
      [1, false],
      [2, false],
      [3, true],
      [2, false], // the same customer again that day: no new reach
      [4, true],
    ]);
    const [day] = await wh.query(`select business_initiated_sends, business_initiated_customers, daily_cap, sends_over_cap, is_over_cap, window_violations, refused_reengagement, template_sends_outside_window, free_form_in_window from marts.agg_messaging_limits_daily where local_date = '2026-11-09'`);
    expect(day).toEqual({ business_initiated_sends: 5, business_initiated_customers: 4, daily_cap: 2, sends_over_cap: 2, is_over_cap: true, window_violations: 2, refused_reengagement: 1, template_sends_outside_window: 5, free_form_in_window: 1 });
  });
});
