-- grain: one row per pair of phone numbers merged into one customer, with the evidence
-- key: merge_id
-- materialized: table
-- The build copies new rows into ops.customer_merges (warehouse/identity/record-identity.ts).
-- The number kept is the one seen first; the other is merged into it.
with pairs as (
    select p.*
    from staging.int_customer_duplicate_pairs as p
    join staging.int_customer_duplicate_groups as g on g.phone_e164 = p.phone_e164
    where g.is_merged
),

identity as (
    select phone_e164, customer_id, first_seen_at from staging.int_customer_identity
),

oriented as (
    select
        p.*,
        ia.customer_id,
        (coalesce(ia.first_seen_at, timestamptz '9999-12-31 00:00:00+00'), p.phone_e164) <= (coalesce(ib.first_seen_at, timestamptz '9999-12-31 00:00:00+00'), p.other_phone_e164) as is_first_kept,
    from pairs as p
    join identity as ia on ia.phone_e164 = p.phone_e164
    join identity as ib on ib.phone_e164 = p.other_phone_e164
),

final as (
    select
        md5(phone_e164 || '|' || other_phone_e164) as merge_id,
        customer_id,
        case when is_first_kept then phone_e164 else other_phone_e164 end as phone_e164,
        case when is_first_kept then other_phone_e164 else phone_e164 end as merged_phone_e164,
        case when is_first_kept then name else other_name end as name,
        case when is_first_kept then other_name else name end as merged_name,
        name_similarity,
        jaro_winkler,
        sku,
        case when is_first_kept then bought_at else other_bought_at end as bought_at,
        case when is_first_kept then other_bought_at else bought_at end as merged_bought_at,
        days_apart,
        json_object(
            'rule', 'name similarity >= 0.8 (normalised Levenshtein) and the same SKU bought within 90 days',
            'name_similarity', name_similarity,
            'jaro_winkler', jaro_winkler,
            'sku', sku,
            'days_apart', days_apart
        ) as evidence,
    from oriented
)

select * from final
