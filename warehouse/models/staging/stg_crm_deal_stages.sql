-- grain: one row per deal x period in one stage
-- key: vendor, deal_id, valid_from, stage
-- materialized: table
-- The funnel needs when each stage was reached. Every version of a deal says it was in its
-- stage at its modification time; stage-entered dates (HubSpot hs_v2_date_entered_*, export
-- date columns) and stage-history exports say when a stage began. Observations in time
-- order, runs of one stage collapsed: a period starts at the first observation of a run and
-- ends (valid_to) when the next period starts; the current period has valid_to null.
with observations as (
    select vendor, record_id as deal_id, stage, coalesce(modified_at, created_at) as observed_at,
    from raw.crm_deals
    where stage is not null and coalesce(modified_at, created_at) is not null
    union all
    select vendor, record_id as deal_id, unnest(['quoted', 'ordered', 'paid', 'lost']) as stage, unnest([quoted_at, ordered_at, paid_at, lost_at]) as observed_at,
    from raw.crm_deals
    union all
    select vendor, deal_record_id as deal_id, stage, changed_at as observed_at,
    from raw.crm_deal_stage_changes
    where stage is not null
),

distinct_observations as (
    select distinct
        vendor,
        deal_id,
        stage,
        observed_at,
        -- at equal times, stages follow the funnel's order
        case stage when 'quoted' then 1 when 'ordered' then 2 when 'paid' then 3 else 4 end as stage_order,
    from observations
    where observed_at is not null
),

runs as (
    select
        *,
        lag(stage) over (partition by vendor, deal_id order by observed_at, stage_order) as previous_stage,
    from distinct_observations
),

starts as (
    select vendor, deal_id, stage, observed_at as valid_from, stage_order,
    from runs
    where previous_stage is distinct from stage
),

final as (
    select
        vendor,
        deal_id,
        stage,
        valid_from,
        lead(valid_from) over (partition by vendor, deal_id order by valid_from, stage_order) as valid_to,
        lead(valid_from) over (partition by vendor, deal_id order by valid_from, stage_order) is null as is_current,
    from starts
)

select * from final
