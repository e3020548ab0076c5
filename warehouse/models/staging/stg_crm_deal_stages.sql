-- grain: one row per deal x period in one stage
-- key: vendor, deal_id, valid_from, stage
-- materialized: table
-- PLACEHOLDER until the CRM sources (issue 4, branch wip-crm) land: the same name and
-- columns as their model (stage periods with valid_from/valid_to), empty. When merging,
-- take the CRM model.
select
    cast(null as varchar) as vendor,
    cast(null as varchar) as deal_id,
    cast(null as varchar) as stage,
    cast(null as timestamptz) as valid_from,
    cast(null as timestamptz) as valid_to,
    cast(null as boolean) as is_current,
where false
