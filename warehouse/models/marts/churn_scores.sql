-- grain: one row per active customer (wrote within the 12 weeks before the latest data)
-- key: customer_id
-- materialized: table
-- The current churn risk list: marts.agg_churn_weekly at the latest snapshot (the day after
-- the last message), the recommended action of its band (config/churn.json), and the
-- customer's last earlier high-risk flag and whether they came back within 30 days of it.
with current_scores as (
    select * from marts.agg_churn_weekly where is_current
),

earlier_flags as (
    select customer_id, max(as_of_date) as last_flagged_date, arg_max_null(came_back_within_30d, as_of_date) as came_back_after_flag,
    from marts.agg_churn_weekly
    where not is_current and risk = 'high'
    group by customer_id
),

actions as (
    select from_json({{churn}}, '{"actions":{"high":"VARCHAR","medium":"VARCHAR","low":"VARCHAR"}}').actions as a
),

last_messages as (
    select customer_id, max(sent_at) as last_message_at,
    from marts.fct_messages
    where direction = 'inbound' and customer_id is not null
    group by customer_id
),

final as (
    select
        c.customer_id,
        c.as_of_date,
        c.baseline_weekly_rate,
        c.recent_weekly_rate,
        c.trend_per_week,
        c.recent_sentiment,
        c.score,
        c.risk,
        case c.risk when 'high' then a.a.high when 'medium' then a.a.medium else a.a.low end as recommended_action,
        c.meets_churn_rule,
        c.baseline_weeks,
        c.recent_weeks,
        m.last_message_at,
        f.last_flagged_date,
        f.came_back_after_flag,
    from current_scores as c
    cross join actions as a
    left join earlier_flags as f on f.customer_id = c.customer_id
    left join last_messages as m on m.customer_id = c.customer_id
)

select * from final
