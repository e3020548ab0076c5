-- grain: one row per agent
-- key: agent_id
-- materialized: table
with agents as (
    select agent_id, name, team, first_seen_at
    from staging.stg_agents
),

activity as (
    select
        agent_id,
        count(*) as messages_sent,
        max(sent_at) as last_message_at,
    from marts.fct_messages
    where sender_kind = 'agent'
    group by agent_id
),

final as (
    select
        a.agent_id,
        a.name,
        a.team,
        a.first_seen_at,
        x.last_message_at,
        coalesce(x.messages_sent, 0) as messages_sent,
    from agents as a
    left join activity as x on x.agent_id = a.agent_id
)

select * from final
