-- grain: one row per customer phone number (E.164) seen anywhere
-- key: phone_e164
-- materialized: table
-- The contract every mart uses to turn a phone into a customer_id. Identity resolution
-- (merges of the same person across numbers) replaces how customer_id is chosen, never
-- the columns. customer_id is a stable hash of the person's first number.
with phones as (
    select phone_e164 from staging.stg_contacts
),

final as (
    select
        phone_e164,
        'c_' || left(md5(phone_e164), 12) as customer_id,
    from phones
)

select * from final
