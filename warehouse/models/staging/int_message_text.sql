-- grain: one row per message with text (inbound and outbound)
-- key: message_id
-- materialized: incremental
-- What a message's text says: language, sentiment (0..1, 0.5 neutral), emoji, intent tags
-- (config/tag_rules.json) and keywords, computed in TS by parley_text (warehouse/text/).
-- Incremental on the message's own arrival (its webhook, message.sent event or chat export), not on
-- its statuses: a late delivery receipt rebuilds the message in stg_messages and
-- fct_messages, but its text is never analysed twice. Each distinct text is analysed once
-- per build. Changed tag rules apply to new messages; `parley build --full` retags history.
-- A full build (since_load_id 0) takes every message without looking in `arrived`, which
-- is then empty: listing every message id would hold them all in one hash table.
with arrived as (
    select message_id from staging.stg_whatsapp_messages where {{since_load_id}} > 0 and load_id > {{since_load_id}}
    union
    select message_id from staging.stg_scrm_events where {{since_load_id}} > 0 and event_type = 'message.sent' and load_id > {{since_load_id}}
    union
    select message_id from staging.stg_export_messages where {{since_load_id}} > 0 and load_id > {{since_load_id}}
),

messages as (
    select m.message_id, m.customer_phone_e164, m.text, m.load_id,
    from staging.stg_messages as m
    where ({{since_load_id}} = 0 or m.message_id in (select message_id from arrived))
        and m.text is not null
        and trim(m.text) <> ''
),

texts as (
    select text, parley_text(text, {{tag_rules}}) as facts,
    from (select distinct text from messages)
),

final as (
    select
        m.message_id,
        m.customer_phone_e164,
        t.facts.language as language,
        t.facts.sentiment as sentiment,
        t.facts.has_emoji as has_emoji,
        t.facts.tags as tags,
        t.facts.keywords as keywords,
        m.load_id,
    from messages as m
    join texts as t on t.text = m.text
)

select * from final
