-- grain: one row per weekly churn snapshot whose 30-day outcome is known
-- key: week
-- materialized: table
-- How well the high-risk flag predicted silence: of the customers flagged high at the
-- snapshot (the Monday after the week), how many then wrote nothing for 30 days
-- (precision), and of the active customers who went silent, how many had been flagged
-- (recall). recovery_rate: flagged customers who wrote again within 30 days.
with snapshots as (
    select * from marts.agg_churn_weekly
    where is_outcome_known and isodow(as_of_date) = 1
),

final as (
    select
        week,
        any_value(as_of_date) as as_of_date,
        count(*) as active_customers,
        count(*) filter (where risk = 'high') as flagged_high,
        count(*) filter (where risk = 'medium') as flagged_medium,
        count(*) filter (where went_silent_30d) as went_silent,
        count(*) filter (where risk = 'high' and went_silent_30d) as flagged_and_silent,
        count(*) filter (where risk = 'high' and came_back_within_30d) as flagged_and_came_back,
        count(*) filter (where risk = 'high' and went_silent_30d) / nullif(count(*) filter (where risk = 'high'), 0) as precision,
        count(*) filter (where risk = 'high' and went_silent_30d) / nullif(count(*) filter (where went_silent_30d), 0) as recall,
        count(*) filter (where risk = 'high' and came_back_within_30d) / nullif(count(*) filter (where risk = 'high'), 0) as recovery_rate,
    from snapshots
    group by week
)

select * from final
