-- grain: one row per (message, status): sent, delivered, read, failed
-- key: message_id, status
-- materialized: incremental
-- Meta retries and reorders statuses: one row per (wamid, status), the earliest kept.
with payloads as (
    select
        load_id,
        received_at,
        from_json(payload, '{"entry":[{"changes":[{"value":{
            "metadata":{"phone_number_id":"VARCHAR"},
            "statuses":[{"id":"VARCHAR","status":"VARCHAR","timestamp":"VARCHAR","recipient_id":"VARCHAR",
                "conversation":{"id":"VARCHAR","expiration_timestamp":"VARCHAR","origin":{"type":"VARCHAR"}},
                "pricing":{"billable":"BOOLEAN","pricing_model":"VARCHAR","category":"VARCHAR","type":"VARCHAR"},
                "errors":[{"code":"INTEGER","title":"VARCHAR"}]}]}}]}]}') as body
    from raw.whatsapp_payloads
    where load_id > {{since_load_id}}
),

changes as (
    select load_id, received_at, unnest(flatten(list_transform(body.entry, e -> list_transform(e.changes, c -> c.value)))) as value
    from payloads
),

statuses as (
    select
        load_id,
        received_at,
        value.metadata.phone_number_id as phone_number_id,
        unnest(value.statuses) as s
    from changes
),

typed as (
    select
        s.id as message_id,
        s.status as status,
        to_timestamp(cast(s."timestamp" as bigint)) as status_at,
        phone_number_id,
        '+' || s.recipient_id as customer_phone_e164,
        s.conversation.id as meta_conversation_id,
        s.conversation.origin.type as conversation_origin,
        to_timestamp(try_cast(s.conversation.expiration_timestamp as bigint)) as conversation_expires_at,
        s.pricing.billable as is_billable,
        s.pricing.pricing_model as pricing_model,
        s.pricing.category as pricing_category,
        s.pricing.type as pricing_type,
        s.errors[1].code as error_code,
        s.errors[1].title as error_title,
        received_at,
        load_id
    from statuses
),

final as (
    select *
    from typed
    qualify row_number() over (partition by message_id, status order by status_at, load_id) = 1
)

select * from final
