-- grain: one row per WhatsApp message, inbound (customer) and outbound (agent, bot, template)
-- key: message_id
-- materialized: incremental
-- Local date, weekday (1 = Monday), hour and ISO week are in PARLEY_TZ. language,
-- sentiment and tags are filled by the customer models (issue 6); until then they are NULL.
-- Incremental: stg_messages.load_id is the last load that changed a message (its statuses
-- included), so late statuses rebuild their message here too.
with messages as (
    select *
    from staging.stg_messages
    where load_id > {{since_load_id}}
),

customers as (
    select phone_e164, customer_id
    from staging.int_customer_phones
),

localized as (
    select
        *,
        timezone({{tz}}, sent_at) as local_ts,
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
        -- pictographs, emoticons, symbols and dingbats (incl. the variation selector of ❤️)
        coalesce(regexp_matches(m.text, '[\x{1F000}-\x{1FAFF}\x{2600}-\x{27BF}\x{2300}-\x{23FF}\x{2B00}-\x{2BFF}\x{3030}\x{303D}\x{3297}\x{3299}\x{FE0F}]'), false) as has_emoji,
        cast(null as varchar) as language,
        cast(null as double) as sentiment,
        cast(null as varchar[]) as tags,
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
)

select * from final
