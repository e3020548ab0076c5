-- grain: one row per agent (latest agent.upserted wins; agents seen only in messages keep their id as name; the business side of chat exports is an agent named as in the export)
-- key: agent_id
-- materialized: table
with upserts as (
    select
        agent_id,
        arg_max(agent_name, event_at) as name,
        arg_max(agent_team, event_at) as team,
        max(event_at) as updated_at
    from staging.stg_scrm_events
    where event_type = 'agent.upserted'
    group by agent_id
),

seen as (
    select agent_id, min(event_at) as first_seen_at
    from staging.stg_scrm_events
    where agent_id is not null
    group by agent_id
),

exported as (
    select
        agent_id,
        arg_max(author, sent_at) as name,
        min(sent_at) as first_seen_at,
    from staging.stg_export_messages
    where is_business
    group by agent_id
),

final as (
    select
        s.agent_id,
        coalesce(u.name, s.agent_id) as name,
        u.team,
        s.first_seen_at,
        u.updated_at,
    from seen as s
    left join upserts as u on u.agent_id = s.agent_id
    union all by name
    select
        agent_id,
        name,
        cast(null as varchar) as team,
        first_seen_at,
        cast(null as timestamptz) as updated_at,
    from exported
)

select * from final
