import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllWarehouses, type Warehouse } from '../../../warehouse/db.ts';
import { buildOnly, createAllTables, replaceRows } from '../../helpers/mart-rows.ts';
import { serviceWarehouse } from '../../helpers/service-scenario.ts';

/** A message row of marts.fct_messages at a Hong Kong local time. */
function msg(customer: string, local: string, direction: 'inbound' | 'outbound', kind: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { message_id: `${customer}-${local}`, conversation_id: `1098765:+${customer}`, customer_id: customer, direction, sender_kind: kind, sent_at: `${local}+08`, local_date: local.slice(0, 10), tags: [], is_media: false, ...extra };
}

describe('sales funnel', () => {
  let wh: Warehouse;
  let funnel: Map<string, Record<string, unknown>>;

  beforeAll(async () => {
    ({ wh } = await serviceWarehouse());
    await createAllTables(wh);
    await replaceRows(wh, 'marts.fct_messages', [
      // p1: asks, an agent answers, sends a product video and a quote; a CRM deal is ordered by card and paid
      msg('p1', '2026-11-02 10:00:00', 'inbound', 'customer'),
      msg('p1', '2026-11-02 10:05:00', 'outbound', 'agent'),
      msg('p1', '2026-11-02 10:10:00', 'outbound', 'agent', { tags: ['quote'] }),
      msg('p1', '2026-11-02 10:20:00', 'outbound', 'agent', { is_media: true, message_type: 'video' }),
      // p2: only the bot answered
      msg('p2', '2026-11-03 09:00:00', 'inbound', 'customer'),
      msg('p2', '2026-11-03 09:00:05', 'outbound', 'bot'),
      // p3: a campaign template, and the customer answers it
      msg('p3', '2026-11-04 11:00:00', 'outbound', 'template'),
      msg('p3', '2026-11-04 12:00:00', 'inbound', 'customer'),
      // p4 (next week): answered; the CRM records an order straight away (cash on delivery), not paid yet
      msg('p4', '2026-11-10 15:00:00', 'inbound', 'customer'),
      msg('p4', '2026-11-10 15:02:00', 'outbound', 'agent'),
    ]);
    await replaceRows(wh, 'staging.int_customer_phones', [
      { phone_e164: '+85291000001', customer_id: 'p1' },
      { phone_e164: '+85291000004', customer_id: 'p4' },
    ]);
    await replaceRows(wh, 'staging.stg_crm_deals', [
      { vendor: 'hubspot', deal_id: 'D1', phone_e164: '+85291000001', stage: 'paid', payment_method: 'card', created_at: '2026-11-02 11:00:00+08' },
      { vendor: 'hubspot', deal_id: 'D4', phone_e164: '+85291000004', stage: 'ordered', payment_method: 'cod', created_at: '2026-11-12 09:00:00+08' },
    ]);
    await replaceRows(wh, 'staging.stg_crm_deal_stages', [
      { vendor: 'hubspot', deal_id: 'D1', stage: 'quoted', valid_from: '2026-11-02 11:00:00+08', valid_to: '2026-11-04 12:00:00+08', is_current: false },
      { vendor: 'hubspot', deal_id: 'D1', stage: 'ordered', valid_from: '2026-11-04 12:00:00+08', valid_to: '2026-11-05 09:00:00+08', is_current: false },
      { vendor: 'hubspot', deal_id: 'D1', stage: 'paid', valid_from: '2026-11-05 09:00:00+08', valid_to: null, is_current: true },
      { vendor: 'hubspot', deal_id: 'D4', stage: 'ordered', valid_from: '2026-11-12 09:00:00+08', valid_to: null, is_current: true },
    ]);
    await buildOnly(wh, ['marts.fct_funnel', 'marts.agg_funnel_weekly']);
    const rows = await wh.query<Record<string, unknown>>(
      `select customer_id, first_contact_week,
              strftime(timezone('Asia/Hong_Kong', first_contact_at), '%Y-%m-%d %H:%M') as first_contact,
              strftime(timezone('Asia/Hong_Kong', engaged_at), '%Y-%m-%d %H:%M') as engaged,
              strftime(timezone('Asia/Hong_Kong', quoted_at), '%Y-%m-%d %H:%M') as quoted,
              strftime(timezone('Asia/Hong_Kong', ordered_at), '%Y-%m-%d %H:%M') as ordered,
              strftime(timezone('Asia/Hong_Kong', paid_at), '%Y-%m-%d %H:%M') as paid,
              payment_method, days_to_order, has_early_media
       from marts.fct_funnel`,
    );
    funnel = new Map(rows.map((r) => [String(r.customer_id), r]));
  });
  afterAll(closeAllWarehouses);

  it('dates every stage a customer reached', () => {
    expect(funnel.get('p1')).toEqual({
      customer_id: 'p1',
      first_contact_week: '2026-W45',
      first_contact: '2026-11-02 10:00',
      engaged: '2026-11-02 10:05', // the agent's answer
      quoted: '2026-11-02 10:10', // the quote-tagged message, before the CRM's quoted stage
      ordered: '2026-11-04 12:00',
      paid: '2026-11-05 09:00',
      payment_method: 'card',
      days_to_order: 2 + 2 / 24,
      has_early_media: true,
    });
  });

  it('does not count a bot reply as an exchange, but does count a reply to a template', () => {
    expect(funnel.get('p2')).toMatchObject({ engaged: null, quoted: null, ordered: null, has_early_media: false });
    expect(funnel.get('p3')).toMatchObject({ first_contact: '2026-11-04 11:00', engaged: '2026-11-04 12:00', quoted: null });
  });

  it('implies skipped stages from the next one the data shows', () => {
    expect(funnel.get('p4')).toMatchObject({ engaged: '2026-11-10 15:02', quoted: '2026-11-12 09:00', ordered: '2026-11-12 09:00', paid: null, payment_method: 'cod' });
  });

  it('rates each stage of a first-contact cohort: advanced / entered', async () => {
    const rows = await wh.query(`select week, stage, entered, advanced, conversion_rate from marts.agg_funnel_weekly order by week, stage_order`);
    expect(rows).toEqual([
      { week: '2026-W45', stage: 'first_contact', entered: 3, advanced: 2, conversion_rate: 2 / 3 },
      { week: '2026-W45', stage: 'engaged', entered: 2, advanced: 1, conversion_rate: 0.5 },
      { week: '2026-W45', stage: 'quoted', entered: 1, advanced: 1, conversion_rate: 1 },
      { week: '2026-W45', stage: 'ordered', entered: 1, advanced: 1, conversion_rate: 1 },
      { week: '2026-W45', stage: 'paid', entered: 1, advanced: null, conversion_rate: null },
      { week: '2026-W46', stage: 'first_contact', entered: 1, advanced: 1, conversion_rate: 1 },
      { week: '2026-W46', stage: 'engaged', entered: 1, advanced: 1, conversion_rate: 1 },
      { week: '2026-W46', stage: 'quoted', entered: 1, advanced: 1, conversion_rate: 1 },
      { week: '2026-W46', stage: 'ordered', entered: 1, advanced: 0, conversion_rate: 0 },
      { week: '2026-W46', stage: 'paid', entered: 0, advanced: null, conversion_rate: null },
    ]);
  });
});
