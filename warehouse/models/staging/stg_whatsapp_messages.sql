-- grain: one row per inbound WhatsApp message received through the Cloud API
-- key: message_id
-- materialized: incremental
-- keep_first_by: load_id, received_at
-- Meta delivers twice and out of order: one row per wamid, the first delivery kept (earliest
-- load, then earliest received_at, then the first row stored and the first place in the
-- payload). The first deliveries are picked by a window over narrow columns (wamid, load_id,
-- received_at and where the message sits: raw row, entry, change, message) and only they are
-- parsed in full. A window over the parsed rows kept every text column in memory and ran
-- out of it at scale M.
-- Each payload is parsed into typed structs (from_json), which is ~10x faster than
-- extracting field by field. Entries and changes are unnested and numbered, and a first
-- delivery's change is reached by those numbers: list lambdas over the parsed structs cost
-- about as much as the parse. (entry, change) in order is the payload's changes in order.
with key_entries as (
    -- only the wamids are parsed here, from every payload
    select
        raw_row_id,
        load_id,
        received_at,
        generate_subscripts(p.entry, 1) as entry_no,
        unnest(p.entry) as e,
    from (
        select rowid as raw_row_id, load_id, received_at, from_json(payload, '{"entry":[{"changes":[{"value":{"messages":[{"id":"VARCHAR"}]}}]}]}') as p
        from raw.whatsapp_payloads
        where load_id > {{since_load_id}}
    )
),

key_changes as (
    select raw_row_id, load_id, received_at, entry_no, generate_subscripts(e.changes, 1) as change_no, unnest(e.changes) as c,
    from key_entries
),

message_keys as (
    select
        raw_row_id,
        load_id,
        received_at,
        entry_no,
        change_no,
        message_no,
        m.id as message_id,
    from (
        select raw_row_id, load_id, received_at, entry_no, change_no, generate_subscripts(c.value.messages, 1) as message_no, unnest(c.value.messages) as m
        from key_changes
    )
),

first_places as (
    -- a window over these narrow columns only
    select raw_row_id, entry_no, change_no, message_no
    from message_keys
    qualify row_number() over (partition by message_id order by load_id, received_at, raw_row_id, entry_no, change_no, message_no) = 1
),

payloads as (
    -- a payload with several first deliveries comes once for each of them
    select
        r.load_id,
        r.received_at,
        p.entry_no,
        p.change_no,
        p.message_no,
        from_json(r.payload, '{"entry":[{"changes":[{"value":{
                "metadata":{"phone_number_id":"VARCHAR"},
                "contacts":[{"wa_id":"VARCHAR","profile":{"name":"VARCHAR"}}],
                "messages":[{"id":"VARCHAR","from":"VARCHAR","timestamp":"VARCHAR","type":"VARCHAR",
                    "context":{"id":"VARCHAR"},
                    "text":{"body":"VARCHAR"},
                    "image":{"id":"VARCHAR","mime_type":"VARCHAR","caption":"VARCHAR"},
                    "video":{"id":"VARCHAR","mime_type":"VARCHAR","caption":"VARCHAR"},
                    "audio":{"id":"VARCHAR","mime_type":"VARCHAR"},
                    "document":{"id":"VARCHAR","mime_type":"VARCHAR","caption":"VARCHAR","filename":"VARCHAR"},
                    "sticker":{"id":"VARCHAR","mime_type":"VARCHAR"},
                    "button":{"payload":"VARCHAR","text":"VARCHAR"},
                    "interactive":{"type":"VARCHAR","button_reply":{"id":"VARCHAR","title":"VARCHAR"},"list_reply":{"id":"VARCHAR","title":"VARCHAR"}},
                    "reaction":{"message_id":"VARCHAR","emoji":"VARCHAR"},
                    "location":{"latitude":"DOUBLE","longitude":"DOUBLE","name":"VARCHAR","address":"VARCHAR"},
                    "order":{"text":"VARCHAR"}}]}}]}]}') as body
    from raw.whatsapp_payloads as r
    join first_places as p on p.raw_row_id = r.rowid
    where r.load_id > {{since_load_id}}
),

changes as (
    select
        load_id,
        received_at,
        message_no,
        body.entry[entry_no].changes[change_no].value as value,
    from payloads
),

messages as (
    select
        load_id,
        received_at,
        value.metadata.phone_number_id as phone_number_id,
        value.contacts as contacts,
        value.messages[message_no] as m,
    from changes
),

final as (
    select
        m.id as message_id,
        phone_number_id,
        '+' || m."from" as customer_phone_e164,
        to_timestamp(cast(m."timestamp" as bigint)) as sent_at,
        m.type as message_type,
        case m.type
            when 'text' then m.text.body
            when 'image' then m.image.caption
            when 'video' then m.video.caption
            when 'document' then coalesce(m.document.caption, m.document.filename)
            when 'button' then m.button.text
            when 'interactive' then coalesce(m.interactive.button_reply.title, m.interactive.list_reply.title)
            when 'reaction' then m.reaction.emoji
            when 'location' then coalesce(m.location.name, m.location.address)
            when 'order' then m."order".text
        end as text,
        m.type in ('image', 'video', 'audio', 'document', 'sticker') as is_media,
        coalesce(m.image.id, m.video.id, m.audio.id, m.document.id, m.sticker.id) as media_id,
        coalesce(m.image.mime_type, m.video.mime_type, m.audio.mime_type, m.document.mime_type, m.sticker.mime_type) as media_mime_type,
        m.interactive.type as interactive_type,
        coalesce(m.button.payload, m.interactive.button_reply.id, m.interactive.list_reply.id) as reply_payload,
        m.context.id as context_message_id,
        m.reaction.message_id as reaction_to_message_id,
        m.location.latitude as latitude,
        m.location.longitude as longitude,
        list_filter(contacts, c -> c.wa_id = m."from")[1].profile.name as profile_name,
        received_at,
        load_id
    from messages
)

select * from final
