-- grain: one row per agent and ISO week (local week of each burst's first message)
-- key: agent_id, week
-- materialized: table
-- A response counts for the agent who replied; an unanswered burst counts for the agent
-- the conversation was assigned to (bursts never assigned are only in the weekly report).
-- Medians and p90 are exact, computed here at agent x week from the responses themselves.
with responses as (
    select
        coalesce(agent_id, assigned_agent_id) as agent_id,
        week,
        local_date,
        is_answered,
        response_seconds,
        business_response_seconds,
    from marts.fct_responses
    where coalesce(agent_id, assigned_agent_id) is not null
),

weekly as (
    select
        agent_id,
        week,
        min(local_date) - cast(isodow(min(local_date)) - 1 as integer) as week_start,
        count(*) filter (where is_answered) as responses,
        count(*) filter (where not is_answered) as unanswered,
        median(response_seconds) as median_response_seconds,
        quantile_cont(response_seconds, 0.9) as p90_response_seconds,
        avg(response_seconds) as avg_response_seconds,
        median(business_response_seconds) as median_business_response_seconds,
        avg(business_response_seconds) as avg_business_response_seconds,
        count(*) filter (where response_seconds <= 180) / count(*) as share_within_target,
    from responses
    group by agent_id, week
),

final as (
    select
        *,
        -- DESIGN: the weekly average response exceeds 6 minutes (exactly 360 s does not)
        coalesce(avg_response_seconds > 360, false) as needs_training,
    from weekly
)

select * from final
