-- grain: one row per customer and ISO week (local) in which the customer wrote
-- key: customer_id, week
-- materialized: table
-- The customer's messages of the week and their sentiment: average over the rated ones
-- (with text), and how many read negative (< 0.4) or positive (> 0.6).
with messages as (
    select customer_id, week, local_date - cast(local_weekday - 1 as integer) as week_start, sentiment,
    from marts.fct_messages
    where direction = 'inbound' and customer_id is not null
),

final as (
    select
        customer_id,
        week,
        any_value(week_start) as week_start,
        count(*) as inbound_messages,
        count(sentiment) as rated_messages,
        avg(sentiment) as avg_sentiment,
        count(*) filter (where sentiment < 0.4) as negative_messages,
        count(*) filter (where sentiment > 0.6) as positive_messages,
    from messages
    group by customer_id, week
)

select * from final
