-- grain: one row per SCRM event (exact repeats of a line collapse into one)
-- key: event_id
-- materialized: incremental
-- keep_first_by: load_id
-- The earliest load of a repeated line wins. The repeats are found on a narrow key (the
-- line's md5 as a number, load_id, rowid) and only the surviving lines are parsed: a window
-- over the parsed rows kept every text column in memory and ran out of it at scale M.
with keys as (
    select rowid as raw_row_id, load_id, md5_number(payload::varchar) as event_key
    from raw.scrm_events
    where load_id > {{since_load_id}}
),

first_rows as (
    -- a repeated line carries the same values in every load: any row of the earliest load will do
    select arg_min(raw_row_id, load_id) as raw_row_id
    from keys
    group by event_key
),

events as (
    select load_id, event_type, event_at, customer_e164, payload
    from raw.scrm_events
    where load_id > {{since_load_id}}
        and rowid in (select raw_row_id from first_rows)
),

parsed as (
    select
        load_id,
        event_type,
        event_at,
        customer_e164,
        md5(payload::varchar) as event_id,
        from_json(payload, '{"conversation_id":"VARCHAR","agent_id":"VARCHAR","wamid":"VARCHAR","phone_number_id":"VARCHAR",
            "kind":"VARCHAR","text":"VARCHAR","template_name":"VARCHAR","campaign_id":"VARCHAR","media":"VARCHAR",
            "url":"VARCHAR","score":"INTEGER","name":"VARCHAR","team":"VARCHAR"}') as e
    from events
),

final as (
    select
        event_id,
        event_type,
        event_at,
        customer_e164 as customer_phone_e164,
        e.conversation_id as ticket_id,
        e.agent_id,
        e.wamid as message_id,
        e.phone_number_id,
        e.kind,
        e.text,
        e.template_name,
        e.campaign_id,
        e.media as media_type,
        e.url,
        e.score,
        e.name as agent_name,
        e.team as agent_team,
        load_id
    from parsed
)

select * from final
