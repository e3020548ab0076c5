-- grain: one row per SCRM event (exact repeats of a line collapse into one)
-- key: event_id
-- materialized: incremental
with events as (
    select load_id, event_type, event_at, customer_e164, payload
    from raw.scrm_events
    where load_id > {{since_load_id}}
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

typed as (
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
),

final as (
    select *
    from typed
    qualify row_number() over (partition by event_id order by load_id) = 1
)

select * from final
