import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSource } from '../../pipelines/loader.ts';
import { scrmEventsSource } from '../../pipelines/sources/scrm-events.source.ts';
import { whatsappCloudSource } from '../../pipelines/sources/whatsapp-cloud.source.ts';
import { closeAllWarehouses, type Warehouse } from '../../warehouse/db.ts';
import { runModels } from '../../warehouse/model-runner.ts';
import { FIXTURES, tempWarehouse } from '../helpers/temp-warehouse.ts';

describe('scrm-events source', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    ({ wh } = await tempWarehouse());
  });
  afterAll(closeAllWarehouses);

  it('loads valid events and quarantines the rest with a reason each', async () => {
    const run = await runSource(wh, scrmEventsSource, { path: path.join(FIXTURES, 'scrm-events', 'events.ndjson') });
    expect(run).toMatchObject({ status: 'success', rowsRead: 14, rowsLoaded: 9, rowsQuarantined: 5 });
    const reasons = await wh.query<{ line_no: number; reason: string }>('select line_no, reason from ops.quarantine order by line_no');
    expect(reasons).toEqual([
      { line_no: 10, reason: '"at" "2024-11-27T03:00:00" is not an ISO 8601 time with an offset or Z' },
      { line_no: 11, reason: 'message.sent by an agent without "agent_id"' },
      { line_no: 12, reason: 'conversation.assigned phone "not a phone" is not a valid phone number' },
      { line_no: 13, reason: 'unknown event type "order.shipped"' },
      { line_no: 14, reason: 'csat.answered score 9 must be a whole number from 1 to 5' },
    ]);
  });

  it('types events in staging with millisecond times and E.164 phones', async () => {
    await runModels(wh);
    const rows = await wh.query<Record<string, unknown>>(
      `select event_type, strftime(event_at at time zone 'UTC', '%Y-%m-%dT%H:%M:%S.%g') as at_utc, customer_phone_e164, ticket_id, agent_id, kind, score
       from staging.stg_scrm_events order by event_at, event_type`,
    );
    expect(rows[0]).toMatchObject({ event_type: 'agent.upserted', at_utc: '2024-11-27T01:00:00.000', agent_id: 'a1', customer_phone_e164: null });
    const agentMessage = rows.find((r) => r.event_type === 'message.sent' && r.kind === 'agent');
    // 09:35:00.250+08:00 is 01:35:00.250Z
    expect(agentMessage).toMatchObject({ at_utc: '2024-11-27T01:35:00.250', customer_phone_e164: '+85291234567', agent_id: 'a1', ticket_id: 't-1001' });
    const reopened = rows.find((r) => r.event_type === 'conversation.reopened');
    expect(reopened).toMatchObject({ customer_phone_e164: '+85291234567' });
    expect(rows.find((r) => r.event_type === 'csat.answered')).toMatchObject({ score: 5, ticket_id: 't-1001' });
  });

  it('joins outbound messages to their webhook statuses by wamid', async () => {
    await runSource(wh, whatsappCloudSource, { path: path.join(FIXTURES, 'whatsapp-cloud', 'all-types.ndjson') });
    await runModels(wh);
    const rows = await wh.query<Record<string, unknown>>(
      `select message_id, direction, sender_kind, agent_id, conversation_id, epoch(delivered_at)::bigint as delivered_s, epoch(read_at)::bigint as read_s, is_billable, pricing_category, template_name, campaign_id
       from staging.stg_messages where direction = 'outbound' order by message_id`,
    );
    expect(rows).toEqual([
      { message_id: 'wamid.BOT1', direction: 'outbound', sender_kind: 'bot', agent_id: null, conversation_id: '1098765:+85291234567', delivered_s: null, read_s: null, is_billable: false, pricing_category: null, template_name: null, campaign_id: null },
      { message_id: 'wamid.OUT1', direction: 'outbound', sender_kind: 'agent', agent_id: 'a1', conversation_id: '1098765:+85291234567', delivered_s: 1732700102, read_s: 1732700200, is_billable: false, pricing_category: 'service', template_name: null, campaign_id: null },
      { message_id: 'wamid.OUT2', direction: 'outbound', sender_kind: 'template', agent_id: null, conversation_id: '1098765:+85291234567', delivered_s: null, read_s: null, is_billable: true, pricing_category: 'marketing', template_name: 'weekly_promo', campaign_id: 'cmp-2024-11-27' },
    ]);
    const inbound = await wh.query<{ n: number }>(`select count(*) as n from staging.stg_messages where direction = 'inbound' and sender_kind = 'customer'`);
    expect(inbound[0]!.n).toBe(12);
  });

  it('places ticket events in the customer thread and keeps agents', async () => {
    const events = await wh.query<Record<string, unknown>>('select event_type, ticket_id, conversation_id, score from staging.stg_conversation_events order by event_at');
    expect(events.map((e) => [e.event_type, e.conversation_id])).toEqual([
      ['assigned', '1098765:+85291234567'],
      ['resolved', '1098765:+85291234567'],
      ['csat', '1098765:+85291234567'],
      ['reopened', '1098765:+85291234567'],
    ]);
    const agents = await wh.query<Record<string, unknown>>('select agent_id, name, team from staging.stg_agents');
    expect(agents).toEqual([{ agent_id: 'a1', name: 'Mandy Lau', team: 'sales' }]);
  });
});
