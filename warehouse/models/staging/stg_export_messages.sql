-- grain: one row per message of a WhatsApp chat export (re-imports and overlapping exports of a chat collapse by message_id)
-- key: message_id
-- materialized: incremental
-- A message seen in several loads keeps the latest load's row, so a file read again with
-- corrected options (--business, --tz) corrects its messages. The thread of an exported chat
-- is 'export:' || chat_id standing in for the business number, and the customer: an E.164
-- number when the export shows one, else a pseudo id 'export:<hash of the name>'.
with messages as (
    select *
    from raw.whatsapp_export_messages
    where load_id > {{since_load_id}}
),

typed as (
    select
        message_id,
        chat_id,
        chat_title,
        'export:' || chat_id as phone_number_id,
        customer_e164 as customer_phone_e164,
        customer_name,
        author,
        is_business,
        agent_id,
        sent_at,
        sent_local,
        tz,
        kind,
        message_type,
        kind = 'media' as is_media,
        case when kind = 'media' then caption else text end as text,
        text as text_as_written,
        media_file,
        is_edited,
        source_file,
        line_no,
        load_id,
    from messages
),

final as (
    select *
    from typed
    qualify row_number() over (partition by message_id order by load_id desc, line_no) = 1
)

select * from final
