-- grain: one row per agent (latest agent.upserted wins; agents seen only in messages keep their id as name)
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

final as (
    select
        s.agent_id,
        coalesce(u.name, s.agent_id) as name,
        u.team,
        s.first_seen_at,
        u.updated_at,
    from seen as s
    left join upserts as u on u.agent_id = s.agent_id
)

select * from final
