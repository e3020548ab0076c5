-- grain: one row per WhatsApp message, inbound (customer) and outbound (agent, bot, template)
-- key: message_id
-- materialized: incremental
-- Local date, weekday (1 = Monday), hour and ISO week are in PARLEY_TZ. language,
-- sentiment, tags and has_emoji come from staging.int_message_text (the text analysed once,
-- in TS); messages without text have no language, sentiment or tags and no emoji.
-- Incremental: stg_messages.load_id is the last load that changed a message (its statuses
-- included), so late statuses rebuild their message here too; messages of numbers whose
-- customer changed (a merge: staging.int_customer_phone_changes) are rebuilt as well.
with messages as (
    select *
    from staging.stg_messages
    where load_id > {{since_load_id}}
        or customer_phone_e164 in (select phone_e164 from staging.int_customer_phone_changes)
),

customers as (
    select phone_e164, customer_id
    from staging.int_customer_phones
),

texts as (
    select message_id, language, sentiment, has_emoji, tags
    from staging.int_message_text
),

localized as (
    select
        *,
        -- timezone(PARLEY_TZ, sent_at), converted once in staging.stg_messages
        sent_at_local as local_ts,
    from messages
),

final as (
    select
        m.message_id,
        m.conversation_id,
        c.customer_id,
        m.customer_phone_e164,
        m.phone_number_id,
        m.agent_id,
        m.direction,
        m.sender_kind,
        m.sent_at,
        cast(m.local_ts as date) as local_date,
        isodow(m.local_ts) as local_weekday,
        hour(m.local_ts) as local_hour,
        strftime(m.local_ts, '%G-W%V') as week,
        m.message_type,
        m.text,
        m.is_media,
        -- Unicode's Extended_Pictographic characters (warehouse/text/emoji.ts)
        coalesce(t.has_emoji, false) as has_emoji,
        t.language,
        t.sentiment,
        t.tags,
        m.template_name,
        m.campaign_id,
        m.ticket_id,
        m.effective_delivered_at as delivered_at,
        m.read_at,
        m.failed_at,
        m.error_code,
        m.pricing_category,
        m.is_billable,
        m.source,
        m.load_id,
    from localized as m
    left join customers as c on c.phone_e164 = m.customer_phone_e164
    left join texts as t on t.message_id = m.message_id
)

select * from final
