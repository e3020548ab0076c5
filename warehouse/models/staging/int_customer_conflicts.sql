-- grain: one row per customer x field x value that lost to another source's value
-- key: review_id
-- materialized: table
-- Each difference between sources (CRM vs WhatsApp, one CRM record vs another of the same
-- person) goes to review: the chosen value (latest by millisecond timestamp, as in
-- int_customer_profile) next to the other, each with its source and time. The build copies
-- new rows into ops.review_queue.
with ranked as (
    select
        *,
        row_number() over (
            partition by customer_id, field
            order by is_default, observed_at desc nulls last, source, value
        ) as rank,
    from staging.int_customer_attributes
),

chosen as (
    select customer_id, field, value, value_key, observed_at, source,
    from ranked
    where rank = 1
),

others as (
    -- the latest claim of each other value (defaults never count as a conflict)
    select r.customer_id, r.field, r.value, r.value_key, r.observed_at, r.source,
    from ranked as r
    join chosen as c on c.customer_id = r.customer_id and c.field = r.field
    where not r.is_default and r.value_key <> c.value_key
    qualify row_number() over (partition by r.customer_id, r.field, r.value_key order by r.observed_at desc nulls last, r.source, r.value) = 1
),

final as (
    select
        md5(c.customer_id || '|' || c.field || '|' || c.value_key || '|' || o.value_key) as review_id,
        c.customer_id,
        c.field,
        c.value as chosen_value,
        c.source as chosen_source,
        c.observed_at as chosen_at,
        o.value as other_value,
        o.source as other_source,
        o.observed_at as other_at,
    from chosen as c
    join others as o on o.customer_id = c.customer_id and o.field = c.field
)

select * from final
