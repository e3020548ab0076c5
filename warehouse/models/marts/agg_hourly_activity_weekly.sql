-- grain: one row per ISO week x local weekday (1 = Monday) x local hour, every hour of every week from the first message to the last (zeros included)
-- key: week, local_weekday, local_hour
-- materialized: table
-- Messages count by the local weekday and hour of sent_at; bursts by their first message.
with messages as (
    select local_date, local_weekday, local_hour, direction, sender_kind, agent_id
    from marts.fct_messages
),

bursts as (
    select
        local_date - cast(local_weekday - 1 as integer) as week_start,
        local_weekday,
        local_hour,
        count(*) as inbound_bursts,
    from marts.fct_responses
    group by all
),

counts as (
    select
        local_date - cast(local_weekday - 1 as integer) as week_start,
        local_weekday,
        local_hour,
        count(*) filter (where direction = 'inbound') as inbound_messages,
        count(*) filter (where direction = 'outbound') as outbound_messages,
        count(*) filter (where sender_kind = 'agent') as agent_messages,
        count(*) filter (where sender_kind = 'bot') as bot_messages,
        count(*) filter (where sender_kind = 'template') as template_messages,
        count(distinct agent_id) filter (where sender_kind = 'agent') as agents_replying,
    from messages
    group by all
),

weeks as (
    select cast(unnest(generate_series(cast(min(week_start) as timestamp), cast(max(week_start) as timestamp), interval 7 day)) as date) as week_start
    from counts
),

grid as (
    select w.week_start, d.local_weekday, h.local_hour
    from weeks as w
    cross join (select range as local_weekday from range(1, 8)) as d
    cross join (select range as local_hour from range(0, 24)) as h
),

final as (
    select
        strftime(g.week_start, '%G-W%V') as week,
        g.week_start,
        g.local_weekday,
        g.local_hour,
        coalesce(c.inbound_messages, 0) as inbound_messages,
        coalesce(c.outbound_messages, 0) as outbound_messages,
        coalesce(c.agent_messages, 0) as agent_messages,
        coalesce(c.bot_messages, 0) as bot_messages,
        coalesce(c.template_messages, 0) as template_messages,
        coalesce(b.inbound_bursts, 0) as inbound_bursts,
        coalesce(c.agents_replying, 0) as agents_replying,
    from grid as g
    left join counts as c on c.week_start = g.week_start and c.local_weekday = g.local_weekday and c.local_hour = g.local_hour
    left join bursts as b on b.week_start = g.week_start and b.local_weekday = g.local_weekday and b.local_hour = g.local_hour
)

select * from final
