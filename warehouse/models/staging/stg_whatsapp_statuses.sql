-- grain: one row per (message, status): sent, delivered, read, failed
-- key: message_id, status
-- materialized: incremental
-- Meta retries and reorders statuses: one row per (wamid, status), the earliest kept (earliest
-- status time, then earliest load, then the first row stored and the first place in the
-- payload). The earliest are found on a narrow key (wamid, status, time, load_id and where
-- the status sits: raw row, change, status) by an aggregate, which spills to disk; only those
-- payloads are parsed in full. A window over the parsed rows held every column in memory
-- and ran out of it at scale M.
with key_changes as (
    -- only the wamid, status and time are parsed here, from every payload
    select
        raw_row_id,
        load_id,
        generate_subscripts(values, 1) as change_no,
        unnest(values) as value,
    from (
        select
            rowid as raw_row_id,
            load_id,
            flatten(list_transform(
                from_json(payload, '{"entry":[{"changes":[{"value":{"statuses":[{"id":"VARCHAR","status":"VARCHAR","timestamp":"VARCHAR"}]}}]}]}').entry,
                e -> list_transform(e.changes, c -> c.value)
            )) as values,
        from raw.whatsapp_payloads
        where load_id > {{since_load_id}}
    )
),

key_statuses as (
    select
        raw_row_id,
        load_id,
        change_no,
        generate_subscripts(value.statuses, 1) as status_no,
        unnest(value.statuses) as s,
    from key_changes
),

first_places as (
    select place.raw_row_id, place.change_no, place.status_no
    from (
        select arg_min(
            {'raw_row_id': raw_row_id, 'change_no': change_no, 'status_no': status_no},
            -- a struct orders its NULL fields last, as ORDER BY does
            {'status_at': to_timestamp(cast(s."timestamp" as bigint)), 'load_id': load_id, 'raw_row_id': raw_row_id, 'change_no': change_no, 'status_no': status_no}
        ) as place
        from key_statuses
        group by s.id, s.status
    )
),

payloads as (
    select
        rowid as raw_row_id,
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
        and rowid in (select raw_row_id from first_places)
),

changes as (
    select
        raw_row_id,
        load_id,
        received_at,
        generate_subscripts(values, 1) as change_no,
        unnest(values) as value,
    from (
        select raw_row_id, load_id, received_at, flatten(list_transform(body.entry, e -> list_transform(e.changes, c -> c.value))) as values
        from payloads
    )
),

statuses as (
    select
        raw_row_id,
        change_no,
        generate_subscripts(value.statuses, 1) as status_no,
        load_id,
        received_at,
        value.metadata.phone_number_id as phone_number_id,
        unnest(value.statuses) as s
    from changes
),

first_statuses as (
    select s.*
    from statuses as s
    semi join first_places as f on f.raw_row_id = s.raw_row_id and f.change_no = s.change_no and f.status_no = s.status_no
),

final as (
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
    from first_statuses
)

select * from final
