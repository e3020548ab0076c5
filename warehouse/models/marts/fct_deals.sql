-- grain: one row per CRM deal
-- key: vendor, deal_id
-- materialized: table
-- The deal's current stage and, from its stage history, when each stage was first
-- reached (null when the CRM never said). sku is null for products the catalog does not
-- know (is_unknown_product); product_name keeps what the CRM wrote.
with deals as (
    select * from staging.stg_crm_deals
),

stages as (
    select
        vendor,
        deal_id,
        min(valid_from) filter (where stage = 'quoted') as quoted_at,
        min(valid_from) filter (where stage = 'ordered') as ordered_at,
        min(valid_from) filter (where stage = 'paid') as paid_at,
        min(valid_from) filter (where stage = 'lost') as lost_at,
    from staging.stg_crm_deal_stages
    group by vendor, deal_id
),

phones as (
    select phone_e164, customer_id from staging.int_customer_phones
),

final as (
    select
        d.vendor,
        d.deal_id,
        p.customer_id,
        d.phone_e164,
        d.contact_id,
        d.deal_name,
        d.stage,
        d.sku,
        d.product_name,
        d.is_unknown_product,
        d.quantity,
        d.amount,
        d.currency,
        d.payment_method,
        d.created_at,
        d.closed_at,
        s.quoted_at,
        s.ordered_at,
        s.paid_at,
        s.lost_at,
        d.modified_at,
        d.source,
    from deals as d
    left join stages as s on s.vendor = d.vendor and s.deal_id = d.deal_id
    left join phones as p on p.phone_e164 = d.phone_e164
)

select * from final
