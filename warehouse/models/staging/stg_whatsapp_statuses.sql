-- grain: one row per (message, status): sent, delivered, read, failed
-- key: message_id, status
-- materialized: incremental
-- keep_first_by: status_at, load_id
-- Meta retries and reorders statuses: one row per (wamid, status), the earliest kept (earliest
-- status time, then earliest load, then the first row stored and the first place in the
-- payload). The earliest are picked by a window over narrow columns (wamid, status, time,
-- load_id and where the status sits: raw row, entry, change, status) and only they are parsed in
-- full. A window over the parsed rows kept every column in memory and ran out of it at
-- scale M. Entries and changes are unnested and numbered, and a first status's change is
-- reached by those numbers: list lambdas over the parsed structs cost about as much as the
-- parse. (entry, change) in order is the payload's changes in order.
with key_entries as (
    -- only the wamid, status and time are parsed here, from every payload
    select
        raw_row_id,
        load_id,
        generate_subscripts(p.entry, 1) as entry_no,
        unnest(p.entry) as e,
    from (
        select rowid as raw_row_id, load_id, from_json(payload, '{"entry":[{"changes":[{"value":{"statuses":[{"id":"VARCHAR","status":"VARCHAR","timestamp":"VARCHAR"}]}}]}]}') as p
        from raw.whatsapp_payloads
        where load_id > {{since_load_id}}
    )
),

key_changes as (
    select raw_row_id, load_id, entry_no, generate_subscripts(e.changes, 1) as change_no, unnest(e.changes) as c,
    from key_entries
),

key_statuses as (
    select
        raw_row_id,
        load_id,
        entry_no,
        change_no,
        generate_subscripts(c.value.statuses, 1) as status_no,
        unnest(c.value.statuses) as s,
    from key_changes
),

first_places as (
    -- a window over these narrow columns only; NULL times sort last, as before
    select raw_row_id, entry_no, change_no, status_no
    from key_statuses
    qualify row_number() over (
        partition by s.id, s.status
        order by to_timestamp(cast(s."timestamp" as bigint)), load_id, raw_row_id, entry_no, change_no, status_no
    ) = 1
),

payloads as (
    -- a payload with several first deliveries comes once for each of them
    select
        r.load_id,
        r.received_at,
        p.entry_no,
        p.change_no,
        p.status_no,
        from_json(r.payload, '{"entry":[{"changes":[{"value":{
                "metadata":{"phone_number_id":"VARCHAR"},
                "statuses":[{"id":"VARCHAR","status":"VARCHAR","timestamp":"VARCHAR","recipient_id":"VARCHAR",
                    "conversation":{"id":"VARCHAR","expiration_timestamp":"VARCHAR","origin":{"type":"VARCHAR"}},
                    "pricing":{"billable":"BOOLEAN","pricing_model":"VARCHAR","category":"VARCHAR","type":"VARCHAR"},
                    "errors":[{"code":"INTEGER","title":"VARCHAR"}]}]}}]}]}') as body
    from raw.whatsapp_payloads as r
    join first_places as p on p.raw_row_id = r.rowid
    where r.load_id > {{since_load_id}}
),

changes as (
    select
        load_id,
        received_at,
        status_no,
        body.entry[entry_no].changes[change_no].value as value,
    from payloads
),

statuses as (
    select
        load_id,
        received_at,
        value.metadata.phone_number_id as phone_number_id,
        value.statuses[status_no] as s,
    from changes
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
    from statuses
)

select * from final
