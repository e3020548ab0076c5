-- grain: one row per CRM deal
-- key: vendor, deal_id
-- materialized: incremental
-- merge_scope: replaced
-- The deal's current stage and, from its stage history, when each stage was first
-- reached (null when the CRM never said). sku is null for products the catalog does not
-- know (is_unknown_product); product_name keeps what the CRM wrote.
-- Incremental: a deal's row reads only its CRM records and its number's customer. Without new
-- CRM records (raw.crm_contacts, raw.crm_deals, raw.crm_deal_stage_changes), a build
-- recomputes (and first deletes, `replaced`) only the deals of numbers whose customer changed (a
-- merge: staging.int_customer_phone_changes; a number's customer changes no other way); with
-- them, or in a full build (since_load_id 0), every deal, first deleting every row.
with every_deal as (
    select
        {{since_load_id}} = 0
        or exists (select 1 from raw.crm_contacts where load_id > {{since_load_id}})
        or exists (select 1 from raw.crm_deals where load_id > {{since_load_id}})
        or exists (select 1 from raw.crm_deal_stage_changes where load_id > {{since_load_id}}) as recompute_all,
),

deals as (
    -- a full build reads every deal without the scope's filters (the planner keeps a filter
    -- with a subquery even when ORed with a constant true)
    select * from staging.stg_crm_deals where {{since_load_id}} = 0
    union all
    select *
    from staging.stg_crm_deals
    where {{since_load_id}} > 0
        and ((select recompute_all from every_deal) or phone_e164 in (select phone_e164 from staging.int_customer_phone_changes))
),

stages as (
    select
        vendor,
        deal_id,
        min(valid_from) filter (where stage = 'quoted') as quoted_at,
        min(valid_from) filter (where stage = 'ordered') as ordered_at,
        min(valid_from) filter (where stage = 'paid') as paid_at,
        min(valid_from) filter (where stage = 'lost') as lost_at,
    from (
        select * from staging.stg_crm_deal_stages where {{since_load_id}} = 0
        union all
        select *
        from staging.stg_crm_deal_stages
        where {{since_load_id}} > 0 and ((select recompute_all from every_deal) or (vendor, deal_id) in (select (vendor, deal_id) from deals))
    )
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
),

replaced as (
    -- existing deals this build recomputes (read only by an incremental build)
    select vendor, deal_id from marts.fct_deals where (select recompute_all from every_deal)
    union
    select vendor, deal_id from deals
)

select * from final
