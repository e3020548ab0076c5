-- grain: one row per customer and ISO week (local) in which the customer wrote
-- key: customer_id, week
-- materialized: incremental
-- merge_on: customer_id
-- merge_scope: replaced
-- The customer's messages of the week and their sentiment: average over the rated ones
-- (with text), and how many read negative (< 0.4) or positive (> 0.6). avg_sentiment sums the
-- sentiments as decimals (4 places, warehouse/text/sentiment.ts): exact, so it does not depend on
-- the order rows are added in (a merge reads them in another).
-- Incremental: a customer's rows read only that customer's inbound messages, so a build
-- recomputes (and first deletes, `replaced`) every row of the customers with a new or changed
-- message since the last build (fct_messages.load_id) or with a number whose customer changed
-- (a merge: staging.int_customer_phone_changes), under the id it has now and the ids it had
-- (ops.customer_merges still holds the last build's merges while the models run), and deletes
-- the rows of customers that no longer exist (merged away). A full build (since_load_id 0)
-- computes every customer.
with changed_customers as (
    -- none in a full build (since_load_id 0: every customer is computed, none is merged)
    select distinct customer_id,
    from marts.fct_messages
    where {{since_load_id}} > 0 and customer_id is not null and load_id > {{since_load_id}}
    union
    -- the id a number whose customer changed has now (its messages in fct_messages have it)
    select customer_id,
    from staging.int_customer_phones
    where {{since_load_id}} > 0 and phone_e164 in (select phone_e164 from staging.int_customer_phone_changes)
    union
    select customer_id,
    from ops.customer_merges
    where {{since_load_id}} > 0 and undone_at is null
        and (phone_e164 in (select phone_e164 from staging.int_customer_phone_changes)
            or merged_phone_e164 in (select phone_e164 from staging.int_customer_phone_changes))
),

messages as (
    select customer_id, week, local_date - cast(local_weekday - 1 as integer) as week_start, sentiment,
    from marts.fct_messages
    where direction = 'inbound' and customer_id is not null
        and ({{since_load_id}} = 0 or customer_id in (select customer_id from changed_customers))
),

final as (
    select
        customer_id,
        week,
        any_value(week_start) as week_start,
        count(*) as inbound_messages,
        count(sentiment) as rated_messages,
        avg(cast(sentiment as decimal(18, 4))) as avg_sentiment,
        count(*) filter (where sentiment < 0.4) as negative_messages,
        count(*) filter (where sentiment > 0.6) as positive_messages,
    from messages
    group by customer_id, week
),

replaced as (
    -- existing customers this build recomputes or that no longer exist (read only by an incremental build)
    select customer_id from changed_customers
    union
    select distinct t.customer_id,
    from marts.agg_customer_sentiment_weekly as t
    anti join staging.int_customer_phones as p on p.customer_id = t.customer_id
    -- only a merge makes a customer go (an erasure rebuilds the table whole)
    where exists (select 1 from staging.int_customer_phone_changes)
)

select * from final
