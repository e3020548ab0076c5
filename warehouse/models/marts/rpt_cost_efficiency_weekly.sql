-- grain: one row per ISO week (local), every week from the first message to the last
-- key: week
-- materialized: table
-- The cost-efficiency report: messages sent, billable (charged) messages by pricing
-- category and their cost from config/rate_card.json, new customers (first paid order in
-- the week), cost per message sent and per acquisition against the 1.2 USD benchmark, and
-- the sends WhatsApp's rules blocked or would block (24-hour window, daily cap).
with sends as (
    select * from marts.fct_outbound_messages
),

messages as (
    select local_date - cast(local_weekday - 1 as integer) as week_start from marts.fct_messages
),

weeks as (
    select cast(unnest(generate_series(cast(min(week_start) as timestamp), cast(max(week_start) as timestamp), interval 7 day)) as date) as week_start
    from messages
),

card as (
    select coalesce(from_json({{rate_card}}, '{"is_example":"BOOLEAN"}').is_example, false) as is_example
),

costs as (
    select
        week_start,
        count(*) as messages_sent,
        count(delivered_at) as messages_delivered,
        count(*) filter (where is_charged) as billable_messages,
        count(*) filter (where is_charged and pricing_category = 'marketing') as billable_marketing,
        count(*) filter (where is_charged and pricing_category = 'utility') as billable_utility,
        count(*) filter (where is_charged and pricing_category = 'authentication') as billable_authentication,
        count(*) filter (where is_charged and pricing_category not in ('marketing', 'utility', 'authentication')) as billable_other,
        round(coalesce(sum(cost_usd), 0), 6) as message_cost_usd,
        round(coalesce(sum(cost_usd) filter (where pricing_category = 'marketing'), 0), 6) as marketing_cost_usd,
        round(coalesce(sum(cost_usd) filter (where pricing_category = 'utility'), 0), 6) as utility_cost_usd,
        round(coalesce(sum(cost_usd) filter (where pricing_category = 'authentication'), 0), 6) as authentication_cost_usd,
        count(*) filter (where is_unpriced) as unpriced_messages,
        count(failed_at) as failed_sends,
        count(*) filter (where is_refused_reengagement) as refused_reengagement,
        count(*) filter (where is_window_violation) as window_violations,
        count(*) filter (where is_business_initiated and not is_in_window) as template_sends_outside_window,
        count(*) filter (where not is_business_initiated and is_in_window) as free_form_in_window,
        count(*) filter (where is_over_daily_cap) as sends_over_cap,
    from sends
    group by week_start
),

cap_days as (
    select local_date - cast(isodow(local_date) - 1 as integer) as week_start, count(*) filter (where is_over_cap) as days_over_cap, max(business_initiated_customers) as peak_daily_business_initiated,
    from marts.agg_messaging_limits_daily
    group by all
),

acquisitions as (
    select
        cast(timezone({{tz}}, paid_at) as date) - cast(isodow(timezone({{tz}}, paid_at)) - 1 as integer) as week_start,
        count(*) as new_customers,
    from marts.fct_funnel
    where paid_at is not null
    group by all
),

final as (
    select
        strftime(w.week_start, '%G-W%V') as week,
        w.week_start,
        w.week_start + 6 as week_end,
        coalesce(c.messages_sent, 0) as messages_sent,
        coalesce(c.messages_delivered, 0) as messages_delivered,
        coalesce(c.billable_messages, 0) as billable_messages,
        coalesce(c.billable_marketing, 0) as billable_marketing,
        coalesce(c.billable_utility, 0) as billable_utility,
        coalesce(c.billable_authentication, 0) as billable_authentication,
        coalesce(c.billable_other, 0) as billable_other,
        coalesce(c.message_cost_usd, 0) as message_cost_usd,
        coalesce(c.marketing_cost_usd, 0) as marketing_cost_usd,
        coalesce(c.utility_cost_usd, 0) as utility_cost_usd,
        coalesce(c.authentication_cost_usd, 0) as authentication_cost_usd,
        coalesce(c.unpriced_messages, 0) as unpriced_messages,
        coalesce(a.new_customers, 0) as new_customers,
        coalesce(c.message_cost_usd, 0) / nullif(c.messages_sent, 0) as cost_per_message,
        coalesce(c.message_cost_usd, 0) / nullif(a.new_customers, 0) as cost_per_acquisition,
        1.2 as cpa_target_usd,
        coalesce(c.message_cost_usd, 0) / nullif(a.new_customers, 0) <= 1.2 as meets_cpa_target,
        coalesce(c.failed_sends, 0) as failed_sends,
        coalesce(c.refused_reengagement, 0) as refused_reengagement,
        coalesce(c.window_violations, 0) as window_violations,
        coalesce(c.template_sends_outside_window, 0) as template_sends_outside_window,
        coalesce(c.free_form_in_window, 0) as free_form_in_window,
        coalesce(c.sends_over_cap, 0) as sends_over_cap,
        coalesce(d.days_over_cap, 0) as days_over_cap,
        coalesce(d.peak_daily_business_initiated, 0) as peak_daily_business_initiated,
        k.is_example as is_example_rate_card,
    from weeks as w
    cross join card as k
    left join costs as c on c.week_start = w.week_start
    left join cap_days as d on d.week_start = w.week_start
    left join acquisitions as a on a.week_start = w.week_start
)

select * from final
