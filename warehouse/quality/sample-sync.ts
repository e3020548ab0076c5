import { queryOn } from '../db.ts';
import type { CheckContext, CheckResult, QualityCheck } from './check.ts';
import { readQualityConfig } from './quality-config.ts';

/** The local date of `now` in `tz` (YYYY-MM-DD). */
function localDate(now: Date, tz: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/**
 * Once per local day: a sample of messages is read again straight from the raw layer (a
 * second, simpler parse than staging's) and compared with `marts.fct_messages` field by
 * field (sent_at, direction, sender_kind, agent_id, conversation and text). Any
 * difference means a model lost or changed what the source said.
 */
export function sampleSyncCheck(): QualityCheck {
  const name = 'sample_synced_fields:messages';
  return {
    name,
    level: 'error',
    async run(ctx): Promise<CheckResult[]> {
      const size = readQualityConfig(ctx.config).sample_size;
      if (size === 0) return [];
      const today = localDate(ctx.now, ctx.config.tz);
      const ranToday = await queryOn(
        ctx.conn,
        `select 1 from ops.dq_results where check_name = $1 and status <> 'skipped' and cast(timezone($2, run_at) as date) = cast($3 as date) limit 1`,
        [name, ctx.config.tz, today],
      );
      if (ranToday.length > 0) return [];
      const marts = await queryOn(ctx.conn, `select 1 from duckdb_tables() where schema_name = 'marts' and table_name = 'fct_messages'`);
      if (marts.length === 0) return [];
      const [row] = await queryOn<{ sampled: number; mismatched: number; sample: string[] | null }>(ctx.conn, sampleSql(ctx, size));
      const sampled = Number(row?.sampled ?? 0);
      const mismatched = Number(row?.mismatched ?? 0);
      return [{
        check_name: name,
        level: 'error',
        status: mismatched === 0 ? 'pass' : 'fail',
        observed: mismatched,
        threshold: 0,
        details: mismatched === 0
          ? `${sampled} sampled raw messages match marts.fct_messages`
          : `${mismatched} of ${sampled} sampled raw messages differ from marts.fct_messages: ${(row?.sample ?? []).slice(0, 3).join('; ')}`,
      }];
    },
  };
}

function sampleSql(ctx: CheckContext, size: number): string {
  // Only loads this build consumed; a fixed seed keeps the sample of a day repeatable.
  const loaded = `load_id <= ${Number(ctx.snapshotLoadId)}`;
  return `
    with inbound_raw as (
        select from_json(payload, '{"entry":[{"changes":[{"value":{"metadata":{"phone_number_id":"VARCHAR"},
            "messages":[{"id":"VARCHAR","from":"VARCHAR","timestamp":"VARCHAR","type":"VARCHAR","text":{"body":"VARCHAR"}}]}}]}]}') as body
        -- about half the payloads carry statuses only, so sample more of them
        from (select payload from raw.whatsapp_payloads where ${loaded} using sample reservoir(${size * 3} rows) repeatable (7))
    ),
    inbound as (
        select
            m.id as message_id,
            v.metadata.phone_number_id || ':+' || m."from" as conversation_id,
            to_timestamp(cast(m."timestamp" as bigint)) as sent_at,
            'inbound' as direction,
            'customer' as sender_kind,
            cast(null as varchar) as agent_id,
            case when m.type = 'text' then m.text.body end as text,
            m.type = 'text' as compare_text,
        from (select unnest(flatten(list_transform(body.entry, e -> list_transform(e.changes, c -> c.value)))) as v from inbound_raw)
        cross join unnest(v.messages) as u(m)
    ),
    outbound as (
        select
            payload->>'wamid' as message_id,
            (payload->>'phone_number_id') || ':' || customer_e164 as conversation_id,
            event_at as sent_at,
            'outbound' as direction,
            payload->>'kind' as sender_kind,
            payload->>'agent_id' as agent_id,
            payload->>'text' as text,
            true as compare_text,
        from raw.scrm_events
        where ${loaded} and event_type = 'message.sent'
        using sample reservoir(${size} rows) repeatable (7)
    ),
    expected as (
        select * from inbound
        union all by name
        select * from outbound
    ),
    compared as (
        select
            e.message_id,
            case
                when f.message_id is null then 'missing from marts'
                when f.sent_at <> e.sent_at then 'sent_at differs'
                when f.direction <> e.direction then 'direction differs'
                when f.sender_kind <> e.sender_kind then 'sender_kind differs'
                when f.agent_id is distinct from e.agent_id then 'agent_id differs'
                when f.conversation_id <> e.conversation_id then 'conversation_id differs'
                when e.compare_text and f.text is distinct from e.text then 'text differs'
            end as problem,
        from expected as e
        left join marts.fct_messages as f on f.message_id = e.message_id
    )
    select
        count(*) as sampled,
        count(problem) as mismatched,
        list(message_id || ': ' || problem) filter (where problem is not null)[1:3] as sample,
    from compared`;
}
