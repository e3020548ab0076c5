-- grain: one row per business number and local day with outbound messages
-- key: phone_number_id, local_date
-- materialized: table
-- WhatsApp's limits as facts: business-initiated sends (templates) against the daily cap
-- of distinct customers (config/messaging_limits.json), and free-form vs template sends
-- inside and outside the customer service window. Free-form outside the window is a
-- violation; refused_reengagement counts Meta's 131047 refusals.
with sends as (
    select * from marts.fct_outbound_messages
),

final as (
    select
        phone_number_id,
        local_date,
        strftime(local_date, '%G-W%V') as week,
        count(*) as outbound_messages,
        count(*) filter (where is_business_initiated) as business_initiated_sends,
        count(distinct customer_id) filter (where is_business_initiated) as business_initiated_customers,
        any_value(daily_cap) as daily_cap,
        count(*) filter (where is_over_daily_cap) as sends_over_cap,
        count(*) filter (where is_over_daily_cap) > 0 as is_over_cap,
        count(*) filter (where not is_business_initiated) as free_form_sends,
        count(*) filter (where not is_business_initiated and is_in_window) as free_form_in_window,
        count(*) filter (where is_window_violation) as window_violations,
        count(*) filter (where is_business_initiated and is_in_window) as template_sends_in_window,
        count(*) filter (where is_business_initiated and not is_in_window) as template_sends_outside_window,
        count(*) filter (where is_refused_reengagement) as refused_reengagement,
        count(*) filter (where failed_at is not null) as failed_sends,
    from sends
    group by phone_number_id, local_date
)

select * from final
