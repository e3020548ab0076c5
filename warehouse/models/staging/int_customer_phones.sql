-- grain: one row per customer phone number (E.164) seen anywhere
-- key: phone_e164
-- materialized: table
-- The contract every mart uses to turn a phone into a customer_id. The id comes from
-- identity resolution (staging.int_customer_identity): numbers of one person share it.
with identity as (
    select phone_e164, customer_id from staging.int_customer_identity
),

final as (
    select
        phone_e164,
        customer_id,
    from identity
)

select * from final
