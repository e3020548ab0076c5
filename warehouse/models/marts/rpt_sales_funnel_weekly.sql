-- grain: one row per ISO week (local), every week from the first message to the last
-- key: week
-- materialized: table
-- The sales-funnel report: the week's first-contact cohort through the funnel (conversion
-- = ordered / first contacts, against the 12% healthy bar; recent cohorts are still
-- maturing), first orders placed in the week with days from first contact to order, with
-- and without a product video or other media in the first 24 hours, payment (COD vs card:
-- orders paid by now / orders), the churn flags of the week's snapshot and their backtest,
-- and discount interest against the promotion calendar (config/promotions.json).
with funnel as (
    select
        *,
        cast(timezone({{tz}}, ordered_at) as date) - cast(isodow(timezone({{tz}}, ordered_at)) - 1 as integer) as order_week_start,
    from marts.fct_funnel
),

messages as (
    select local_date - cast(local_weekday - 1 as integer) as week_start from marts.fct_messages
),

weeks as (
    select cast(unnest(generate_series(cast(min(week_start) as timestamp), cast(max(week_start) as timestamp), interval 7 day)) as date) as week_start
    from messages
),

cohorts as (
    select
        week_start,
        max(entered) filter (where stage = 'first_contact') as new_contacts,
        max(entered) filter (where stage = 'engaged') as engaged,
        max(entered) filter (where stage = 'quoted') as quoted,
        max(entered) filter (where stage = 'ordered') as ordered,
        max(entered) filter (where stage = 'paid') as paid,
        max(days_observed) as cohort_days_observed,
    from marts.agg_funnel_weekly
    group by week_start
),

orders as (
    select
        order_week_start as week_start,
        count(*) as orders,
        count(paid_at) as orders_paid,
        median(days_to_order) as median_days_to_order,
        avg(days_to_order) as avg_days_to_order,
        count(*) filter (where has_early_media) as orders_with_early_media,
        median(days_to_order) filter (where has_early_media) as median_days_to_order_early_media,
        median(days_to_order) filter (where not has_early_media) as median_days_to_order_no_early_media,
        count(*) filter (where payment_method = 'cod') as cod_orders,
        count(paid_at) filter (where payment_method = 'cod') as cod_paid,
        count(*) filter (where payment_method = 'card') as card_orders,
        count(paid_at) filter (where payment_method = 'card') as card_paid,
    from funnel
    where ordered_at is not null
    group by order_week_start
),

churn as (
    select week, count(*) filter (where risk = 'high') as high_risk_customers, count(*) filter (where risk = 'medium') as medium_risk_customers, count(*) as scored_customers,
    from marts.agg_churn_weekly
    where isodow(as_of_date) = 1
    group by week
),

backtest as (
    select week, precision as churn_precision, recall as churn_recall, recovery_rate as churn_recovery_rate,
    from marts.agg_churn_backtest_weekly
),

discount as (
    select week, conversation_share as discount_conversation_share,
    from marts.agg_tags_weekly
    where tag = 'discount'
),

top_keywords as (
    select week, list(keyword order by rank) filter (where rank <= 5) as top_keywords,
    from marts.agg_keywords_weekly
    group by week
),

calendar as (
    select from_json({{promotions}}, '{"min_discount_share":"DOUBLE","promotions":[{"name":"VARCHAR","start":"DATE","end":"DATE"}]}') as p
),

promotions as (
    select unnest(p.promotions, recursive := true) from calendar
),

promotion_weeks as (
    -- a week is a promotion week when a promotion overlaps it (both lists are small)
    select w.week_start, list(p.name order by p.start) as promotion_names,
    from weeks as w
    cross join promotions as p
    where p.start <= w.week_start + 6 and p."end" >= w.week_start
    group by w.week_start
),

joined as (
    select
        strftime(w.week_start, '%G-W%V') as week,
        w.week_start,
        w.week_start + 6 as week_end,
        coalesce(c.new_contacts, 0) as new_contacts,
        coalesce(c.engaged, 0) as engaged,
        coalesce(c.quoted, 0) as quoted,
        coalesce(c.ordered, 0) as ordered,
        coalesce(c.paid, 0) as paid,
        c.engaged / nullif(c.new_contacts, 0) as engaged_rate,
        c.quoted / nullif(c.engaged, 0) as quote_rate,
        c.ordered / nullif(c.quoted, 0) as order_rate,
        c.paid / nullif(c.ordered, 0) as payment_rate,
        c.ordered / nullif(c.new_contacts, 0) as conversion_rate,
        0.12 as healthy_conversion_rate,
        c.ordered / nullif(c.new_contacts, 0) >= 0.12 as is_healthy,
        c.cohort_days_observed,
        coalesce(o.orders, 0) as orders,
        coalesce(o.orders_paid, 0) as orders_paid,
        o.median_days_to_order,
        o.avg_days_to_order,
        coalesce(o.orders_with_early_media, 0) as orders_with_early_media,
        o.median_days_to_order_early_media,
        o.median_days_to_order_no_early_media,
        coalesce(o.cod_orders, 0) as cod_orders,
        coalesce(o.cod_paid, 0) as cod_paid,
        o.cod_paid / nullif(o.cod_orders, 0) as cod_payment_rate,
        coalesce(o.card_orders, 0) as card_orders,
        coalesce(o.card_paid, 0) as card_paid,
        o.card_paid / nullif(o.card_orders, 0) as card_payment_rate,
        coalesce(h.high_risk_customers, 0) as high_risk_customers,
        coalesce(h.medium_risk_customers, 0) as medium_risk_customers,
        b.churn_precision,
        b.churn_recall,
        b.churn_recovery_rate,
        coalesce(d.discount_conversation_share, 0) as discount_conversation_share,
        pw.week_start is not null as is_promotion_week,
        coalesce(pw.promotion_names, []) as promotion_names,
        k.p.min_discount_share as min_discount_share,
        pw.week_start is not null and coalesce(d.discount_conversation_share, 0) < k.p.min_discount_share as is_promotion_flagged,
        coalesce(t.top_keywords, []) as top_keywords,
    from weeks as w
    cross join calendar as k
    left join cohorts as c on c.week_start = w.week_start
    left join orders as o on o.week_start = w.week_start
    left join churn as h on h.week = strftime(w.week_start, '%G-W%V')
    left join backtest as b on b.week = strftime(w.week_start, '%G-W%V')
    left join discount as d on d.week = strftime(w.week_start, '%G-W%V')
    left join promotion_weeks as pw on pw.week_start = w.week_start
    left join top_keywords as t on t.week = strftime(w.week_start, '%G-W%V')
),

final as (
    select
        *,
        conversion_rate - lag(conversion_rate) over w as conversion_rate_change,
        orders - lag(orders) over w as orders_change,
    from joined
    window w as (order by week_start)
)

select * from final
