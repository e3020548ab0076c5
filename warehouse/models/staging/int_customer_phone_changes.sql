-- grain: one row per phone number whose customer changed since the last build
-- key: phone_e164
-- materialized: table
-- A merge (or an undone merge, or a third number joining a customer) changes the
-- customer_id of numbers whose messages are already in the incremental marts. ops.customer_merges
-- still holds the last build's merges while the models run (the build step that records the
-- new ones runs after them), so the numbers of pairs that differ between the two are exactly
-- those whose customer_id moved: fct_messages and fct_responses rebuild their rows.
with previous as (
    select customer_id, phone_e164, merged_phone_e164
    from ops.customer_merges
    where undone_at is null
),

current as (
    select customer_id, phone_e164, merged_phone_e164
    from staging.int_customer_merges
),

changed_pairs as (
    (select * from previous except select * from current)
    union all
    (select * from current except select * from previous)
),

final as (
    select distinct phone_e164
    from (
        select phone_e164 from changed_pairs
        union all
        select merged_phone_e164 as phone_e164 from changed_pairs
    )
)

select * from final
