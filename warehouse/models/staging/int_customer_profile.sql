-- grain: one row per customer with a resolved name, tier, email and country
-- key: customer_id
-- materialized: table
-- Where sources disagree the latest modification wins, by millisecond timestamp; a
-- configured default (tier "new customer") only when nothing else says otherwise. Ties go
-- to the source name, then the value, so the choice is the same on every build.
with ranked as (
    select
        *,
        row_number() over (
            partition by customer_id, field
            order by is_default, observed_at desc nulls last, source, value
        ) as rank,
    from staging.int_customer_attributes
),

final as (
    select
        customer_id,
        any_value(value) filter (where field = 'name') as name,
        any_value(value) filter (where field = 'tier') as tier,
        any_value(value) filter (where field = 'email') as email,
        any_value(value) filter (where field = 'country') as country,
        any_value(observed_at) filter (where field = 'name') as name_updated_at,
    from ranked
    where rank = 1
    group by customer_id
)

select * from final
