-- grain: one row per first-contact cohort week (local ISO week) and funnel stage
-- key: week, stage
-- materialized: table
-- Cohort funnel: the customers whose first contact fell in the week (entered first_contact),
-- how many of them reached each stage (entered) and how many of those went on to the next
-- stage (advanced); conversion_rate = advanced / entered (null at paid, the last stage).
-- Recent cohorts are still maturing: days_observed says how long they have had.
with funnel as (
    select * from marts.fct_funnel
),

data_end as (
    select max(sent_at) as last_at from marts.fct_messages
),

stages as (
    select * from (values
        ('first_contact', 1),
        ('engaged', 2),
        ('quoted', 3),
        ('ordered', 4),
        ('paid', 5)
    ) as s(stage, stage_order)
),

reached as (
    select
        first_contact_week as week,
        cast(timezone({{tz}}, first_contact_at) as date) - cast(isodow(timezone({{tz}}, first_contact_at)) - 1 as integer) as week_start,
        [true, is_engaged, is_quoted, is_ordered, is_paid] as reached,
    from funnel
),

final as (
    select
        r.week,
        any_value(r.week_start) as week_start,
        s.stage,
        s.stage_order,
        count(*) filter (where r.reached[s.stage_order]) as entered,
        case when s.stage_order < 5 then count(*) filter (where r.reached[s.stage_order] and r.reached[s.stage_order + 1]) end as advanced,
        case when s.stage_order < 5 then count(*) filter (where r.reached[s.stage_order] and r.reached[s.stage_order + 1]) / nullif(count(*) filter (where r.reached[s.stage_order]), 0) end as conversion_rate,
        count(*) filter (where r.reached[s.stage_order]) / count(*) as cohort_share,
        count(*) as cohort_customers,
        greatest(0, date_diff('day', any_value(r.week_start), cast(timezone({{tz}}, (select last_at from data_end)) as date))) as days_observed,
    from reached as r
    cross join stages as s
    group by r.week, s.stage, s.stage_order
)

select * from final
