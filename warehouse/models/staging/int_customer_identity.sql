-- grain: one row per phone number seen anywhere (WhatsApp, SCRM, CRM)
-- key: phone_e164
-- materialized: table
-- Identity resolution: the same E.164 number is the same customer in every source; the
-- numbers of a merged duplicate group (int_customer_duplicate_groups) are one customer. A
-- customer's id is a hash of its first number (earliest first seen, then the smallest
-- number), so rebuilding from the same data gives the same ids, and a customer without
-- merges has the id of its number.
with seen as (
    select phone_e164, first_seen_at, from staging.stg_contacts
    union all
    select phone_e164, coalesce(created_at, modified_at) as first_seen_at, from staging.stg_crm_contacts where phone_e164 is not null
    union all
    select phone_e164, coalesce(created_at, modified_at) as first_seen_at, from staging.stg_crm_deals where phone_e164 is not null
),

first_seen as (
    select phone_e164, min(first_seen_at) as first_seen_at,
    from seen
    group by phone_e164
),

merged as (
    select g.phone_e164, g.group_id, g.group_phones,
    from staging.int_customer_duplicate_groups as g
    where g.is_merged
),

canonical as (
    select
        m.group_id,
        arg_min(m.phone_e164, {'first_seen_at': coalesce(f.first_seen_at, timestamptz '9999-12-31 00:00:00+00'), 'phone': m.phone_e164}) as canonical_phone_e164,
    from merged as m
    left join first_seen as f on f.phone_e164 = m.phone_e164
    group by m.group_id
),

final as (
    select
        f.phone_e164,
        'c_' || left(md5(coalesce(c.canonical_phone_e164, f.phone_e164)), 12) as customer_id,
        coalesce(c.canonical_phone_e164, f.phone_e164) as canonical_phone_e164,
        coalesce(c.canonical_phone_e164 <> f.phone_e164, false) as is_merged,
        coalesce(m.group_phones, 1) as customer_phones,
        f.first_seen_at,
    from first_seen as f
    left join merged as m on m.phone_e164 = f.phone_e164
    left join canonical as c on c.group_id = m.group_id
)

select * from final
