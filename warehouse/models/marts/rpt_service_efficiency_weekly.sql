-- grain: one row per ISO week (local), every week from the first message to the last
-- key: week
-- materialized: table
-- The service-efficiency report: volume, response times against the 3-minute target
-- (wall clock and business hours), unanswered bursts, resolution against the 85%
-- benchmark, agents needing training, and each headline's change from the previous week.
with messages as (
    -- only the rows the counts read: customer messages and agent replies
    select local_date - cast(local_weekday - 1 as integer) as week_start, conversation_id, direction = 'inbound' as is_inbound,
    from marts.fct_messages
    where direction = 'inbound' or sender_kind = 'agent'
),

responses as (
    select local_date - cast(local_weekday - 1 as integer) as week_start, *
    from marts.fct_responses
),

ticket_events as (
    -- the local date converted once per event (timezone() is the costly part), its Monday from it
    select conversation_id, event_type, event_at, local_date - cast(isodow(local_date) - 1 as integer) as week_start,
    from (
        select conversation_id, event_type, event_at, cast(timezone({{tz}}, event_at) as date) as local_date,
        from staging.stg_conversation_events
        where event_type in ('resolved', 'reopened')
    )
),

agent_weeks as (
    select a.week_start, a.agent_id, a.responses, a.needs_training, coalesce(d.name, a.agent_id) as agent_name
    from marts.agg_agent_response_weekly as a
    left join marts.dim_agents as d on d.agent_id = a.agent_id
),

weeks as (
    -- every week from the first message to the last (local_date - weekday + 1 grows with local_date)
    select cast(unnest(generate_series(cast(first_week as timestamp), cast(last_week as timestamp), interval 7 day)) as date) as week_start
    from (
        select
            min(local_date) - cast(isodow(min(local_date)) - 1 as integer) as first_week,
            max(local_date) - cast(isodow(max(local_date)) - 1 as integer) as last_week,
        from marts.fct_messages
    )
),

conversation_weeks as (
    select distinct week_start, conversation_id
    from messages
    where is_inbound
),

volume as (
    select
        m.week_start,
        m.inbound_messages,
        m.agent_messages,
        c.conversations,
    from (
        select week_start, count(*) filter (where is_inbound) as inbound_messages, count(*) filter (where not is_inbound) as agent_messages,
        from messages
        group by week_start
    ) as m
    left join (select week_start, count(*) as conversations from conversation_weeks group by week_start) as c on c.week_start = m.week_start
),

response_stats as (
    select
        week_start,
        count(*) as bursts,
        count(*) filter (where is_answered) as answered_bursts,
        count(*) filter (where not is_answered) as unanswered_bursts,
        median(response_seconds) as median_response_seconds,
        avg(response_seconds) as avg_response_seconds,
        quantile_cont(response_seconds, 0.9) as p90_response_seconds,
        median(business_response_seconds) as median_business_response_seconds,
        avg(business_response_seconds) as avg_business_response_seconds,
        count(*) filter (where response_seconds <= 180) / count(*) as share_within_target,
        count(*) filter (where business_response_seconds <= 180) / count(*) as share_within_target_business,
        median(response_seconds) filter (where is_session_start) as median_first_response_seconds,
    from responses
    group by week_start
),

last_ticket_events as (
    -- Per conversation and week, whether the last resolve-or-reopen is a resolve (a reopen wins a
    -- tie: it ranks one microsecond-half later).
    select week_start, conversation_id, arg_max(event_type = 'resolved', epoch_us(event_at) * 2 + cast(event_type = 'reopened' as bigint)) as is_resolved
    from ticket_events
    group by week_start, conversation_id
),

resolution as (
    -- conversations with a customer message in the week whose last ticket event of the week is a resolve
    select t.week_start, count(*) as conversations_resolved,
    from last_ticket_events as t
    semi join conversation_weeks as c on c.week_start = t.week_start and c.conversation_id = t.conversation_id
    where t.is_resolved
    group by t.week_start
),

training as (
    select
        week_start,
        count(*) filter (where responses > 0) as agents_responding,
        count(*) filter (where needs_training) as agents_needing_training,
        coalesce(list(agent_name order by agent_name) filter (where needs_training), []) as agents_needing_training_names,
    from agent_weeks
    group by week_start
),

joined as (
    select
        strftime(w.week_start, '%G-W%V') as week,
        w.week_start,
        w.week_start + 6 as week_end,
        coalesce(v.conversations, 0) as conversations,
        coalesce(v.inbound_messages, 0) as inbound_messages,
        coalesce(v.agent_messages, 0) as agent_messages,
        coalesce(r.bursts, 0) as bursts,
        coalesce(r.answered_bursts, 0) as answered_bursts,
        coalesce(r.unanswered_bursts, 0) as unanswered_bursts,
        r.median_response_seconds,
        r.avg_response_seconds,
        r.p90_response_seconds,
        r.median_business_response_seconds,
        r.avg_business_response_seconds,
        r.median_first_response_seconds,
        180 as response_target_seconds,
        r.share_within_target,
        r.share_within_target_business,
        coalesce(s.conversations_resolved, 0) as conversations_resolved,
        coalesce(s.conversations_resolved, 0) / nullif(v.conversations, 0) as resolution_rate,
        cast(0.85 as double) as resolution_target,
        coalesce(t.agents_responding, 0) as agents_responding,
        coalesce(t.agents_needing_training, 0) as agents_needing_training,
        coalesce(t.agents_needing_training_names, []) as agents_needing_training_names,
    from weeks as w
    left join volume as v on v.week_start = w.week_start
    left join response_stats as r on r.week_start = w.week_start
    left join resolution as s on s.week_start = w.week_start
    left join training as t on t.week_start = w.week_start
),

final as (
    select
        *,
        conversations - lag(conversations) over w as conversations_change,
        unanswered_bursts - lag(unanswered_bursts) over w as unanswered_bursts_change,
        median_response_seconds - lag(median_response_seconds) over w as median_response_seconds_change,
        avg_response_seconds - lag(avg_response_seconds) over w as avg_response_seconds_change,
        share_within_target - lag(share_within_target) over w as share_within_target_change,
        resolution_rate - lag(resolution_rate) over w as resolution_rate_change,
        agents_needing_training - lag(agents_needing_training) over w as agents_needing_training_change,
    from joined
    window w as (order by week_start)
)

select * from final
