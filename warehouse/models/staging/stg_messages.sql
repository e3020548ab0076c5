-- grain: one row per WhatsApp message, inbound (Cloud API webhooks) and outbound (SCRM message.sent, joined to its statuses by wamid), plus messages of exported chats (both directions)
-- key: message_id
-- materialized: incremental
-- conversation_id is the thread between one business number and one customer.
-- Incremental: a message is rebuilt when it or any of its statuses arrived after the last
-- build (statuses come late and out of order); load_id is the last load that changed it.
-- A full build (since_load_id 0) takes every message without looking in `changed`, which
-- is then empty: listing every message id would hold them all in one hash table.
-- sent_at_local is sent_at as wall-clock time in PARLEY_TZ (TIMESTAMP), converted once here
-- for every model and query that needs local dates, hours and weeks. A full build stores
-- rows in conversation order (conversation_id, sent_at), so queries that walk each
-- conversation in time order (bursts and responses) sort data that is already sorted; an
-- incremental merge appends its rows at the end.
with changed as (
    select message_id from staging.stg_whatsapp_messages where {{since_load_id}} > 0 and load_id > {{since_load_id}}
    union
    select message_id from staging.stg_scrm_events where {{since_load_id}} > 0 and event_type = 'message.sent' and load_id > {{since_load_id}}
    union
    select message_id from staging.stg_whatsapp_statuses where {{since_load_id}} > 0 and load_id > {{since_load_id}}
    union
    select message_id from staging.stg_export_messages where {{since_load_id}} > 0 and load_id > {{since_load_id}}
),

inbound as (
    select
        message_id,
        phone_number_id,
        customer_phone_e164,
        'inbound' as direction,
        'customer' as sender_kind,
        cast(null as varchar) as agent_id,
        sent_at,
        message_type,
        text,
        is_media,
        cast(null as varchar) as template_name,
        cast(null as varchar) as campaign_id,
        cast(null as varchar) as ticket_id,
        'whatsapp-cloud' as source,
        load_id,
    from staging.stg_whatsapp_messages
    where ({{since_load_id}} = 0 or message_id in (select message_id from changed))
),

outbound as (
    select
        message_id,
        phone_number_id,
        customer_phone_e164,
        'outbound' as direction,
        kind as sender_kind,
        agent_id,
        event_at as sent_at,
        case when kind = 'template' then 'template' when media_type is not null then media_type else 'text' end as message_type,
        text,
        media_type is not null as is_media,
        template_name,
        campaign_id,
        ticket_id,
        'scrm-events' as source,
        load_id,
    from staging.stg_scrm_events
    where event_type = 'message.sent' and ({{since_load_id}} = 0 or message_id in (select message_id from changed))
),

exported as (
    -- chat exports: the business side's messages are the agent's replies, everyone else is a customer
    select
        message_id,
        phone_number_id,
        customer_phone_e164,
        case when is_business then 'outbound' else 'inbound' end as direction,
        case when is_business then 'agent' else 'customer' end as sender_kind,
        agent_id,
        sent_at,
        message_type,
        text,
        is_media,
        cast(null as varchar) as template_name,
        cast(null as varchar) as campaign_id,
        cast(null as varchar) as ticket_id,
        'whatsapp-export' as source,
        load_id,
    from staging.stg_export_messages
    where ({{since_load_id}} = 0 or message_id in (select message_id from changed))
),

statuses as (
    select
        message_id,
        min(status_at) filter (where status = 'sent') as accepted_at,
        min(status_at) filter (where status = 'delivered') as delivered_at,
        min(status_at) filter (where status = 'read') as read_at,
        min(status_at) filter (where status = 'failed') as failed_at,
        any_value(error_code) filter (where status = 'failed') as error_code,
        any_value(error_title) filter (where status = 'failed') as error_title,
        any_value(pricing_category) filter (where pricing_category is not null) as pricing_category,
        any_value(pricing_type) filter (where pricing_type is not null) as pricing_type,
        bool_or(is_billable) as is_billable,
        any_value(meta_conversation_id) filter (where meta_conversation_id is not null) as meta_conversation_id,
        max(load_id) as load_id,
    from staging.stg_whatsapp_statuses
    where ({{since_load_id}} = 0 or message_id in (select message_id from changed))
    group by message_id
),

messages as (
    select * from inbound
    union all by name
    select * from outbound
    union all by name
    select * from exported
),

final as (
    select
        m.message_id,
        m.phone_number_id || ':' || m.customer_phone_e164 as conversation_id,
        m.phone_number_id,
        m.customer_phone_e164,
        m.direction,
        m.sender_kind,
        m.agent_id,
        m.sent_at,
        timezone({{tz}}, m.sent_at) as sent_at_local,
        m.message_type,
        m.text,
        m.is_media,
        m.template_name,
        m.campaign_id,
        m.ticket_id,
        s.accepted_at,
        s.delivered_at,
        -- a read receipt implies delivery even when the delivered status never came
        coalesce(s.delivered_at, s.read_at) as effective_delivered_at,
        s.read_at,
        s.failed_at,
        s.error_code,
        s.error_title,
        s.pricing_category,
        s.pricing_type,
        coalesce(s.is_billable, false) as is_billable,
        s.meta_conversation_id,
        m.source,
        greatest(m.load_id, coalesce(s.load_id, 0)) as load_id,
    from messages as m
    -- statuses exist only for outbound messages; an equality-only join keeps it a hash join
    left join statuses as s on s.message_id = m.message_id
)

select * from final
order by conversation_id, sent_at
