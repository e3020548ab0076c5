-- grain: one row per CRM deal (its latest version)
-- key: vendor, deal_id
-- materialized: table
-- PLACEHOLDER until the CRM sources (issue 4, branch wip-crm) land: the same name and
-- columns as their model, empty, so the funnel builds against the contract today. When
-- merging, take the CRM model and drop this file's content.
select
    cast(null as varchar) as vendor,
    cast(null as varchar) as deal_id,
    cast(null as varchar) as contact_id,
    cast(null as varchar) as phone_e164,
    cast(null as varchar) as deal_name,
    cast(null as varchar) as stage,
    cast(null as varchar) as stage_raw,
    cast(null as double) as amount,
    cast(null as varchar) as currency,
    cast(null as integer) as quantity,
    cast(null as varchar) as product_name,
    cast(null as varchar) as sku,
    cast(null as boolean) as is_unknown_product,
    cast(null as varchar) as payment_method,
    cast(null as timestamptz) as created_at,
    cast(null as timestamptz) as closed_at,
    cast(null as timestamptz) as modified_at,
    cast(null as varchar) as source,
    cast(null as bigint) as load_id,
where false
