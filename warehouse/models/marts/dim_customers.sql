-- grain: one row per customer (a person, with every number they use)
-- key: customer_id
-- materialized: table
-- phone_e164 is the customer's first number; phone_numbers lists them all (first seen
-- first). name, tier, email and country are resolved across sources (latest modification
-- wins; differences in ops.review_queue); country falls back to the phone's country.
-- first_contact_at is the earliest of the first WhatsApp/SCRM activity and the CRM record's
-- creation; last_contact_at the latest WhatsApp/SCRM activity or deal change.
with identity as (
    select * from staging.int_customer_identity
),

profile as (
    select * from staging.int_customer_profile
),

activity as (
    select
        i.customer_id,
        min(c.first_seen_at) as first_activity_at,
        max(c.last_seen_at) as last_activity_at,
    from staging.stg_contacts as c
    join identity as i on i.phone_e164 = c.phone_e164
    group by i.customer_id
),

crm_contacts as (
    select
        i.customer_id,
        min(c.created_at) as crm_created_at,
        list(distinct c.vendor || ':' || c.contact_id order by c.vendor || ':' || c.contact_id) as crm_contact_ids,
    from staging.stg_crm_contacts as c
    join identity as i on i.phone_e164 = c.phone_e164
    group by i.customer_id
),

deals as (
    select
        i.customer_id,
        count(*) as deals,
        min(d.created_at) as first_deal_at,
        max(greatest(d.created_at, d.closed_at, d.modified_at)) as last_deal_at,
    from staging.stg_crm_deals as d
    join identity as i on i.phone_e164 = d.phone_e164
    group by i.customer_id
),

customers as (
    select
        customer_id,
        any_value(canonical_phone_e164) as phone_e164,
        list(phone_e164 order by first_seen_at nulls last, phone_e164) as phone_numbers,
        min(first_seen_at) as first_seen_at,
    from identity
    group by customer_id
),

final as (
    select
        c.customer_id,
        c.phone_e164,
        p.name,
        p.tier,
        p.email,
        coalesce(p.country, parley_phone_country(c.phone_e164)) as country,
        least(a.first_activity_at, k.crm_created_at, d.first_deal_at, c.first_seen_at) as first_contact_at,
        greatest(a.last_activity_at, d.last_deal_at) as last_contact_at,
        c.phone_numbers,
        len(c.phone_numbers) > 1 as is_merged,
        a.customer_id is not null as has_whatsapp,
        k.customer_id is not null as has_crm_record,
        coalesce(k.crm_contact_ids, []) as crm_contact_ids,
        coalesce(d.deals, 0) as deals,
    from customers as c
    left join profile as p on p.customer_id = c.customer_id
    left join activity as a on a.customer_id = c.customer_id
    left join crm_contacts as k on k.customer_id = c.customer_id
    left join deals as d on d.customer_id = c.customer_id
)

select * from final
