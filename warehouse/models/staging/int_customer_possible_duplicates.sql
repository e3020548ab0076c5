-- grain: one row per duplicate pair that was not merged
-- key: review_id
-- materialized: table
-- Pairs in groups too big or not consistent enough to merge (int_customer_duplicate_groups):
-- the build puts them in ops.review_queue (kind possible_duplicate) for a person to decide.
with pairs as (
    select p.*, g.group_phones, g.group_pairs,
    from staging.int_customer_duplicate_pairs as p
    join staging.int_customer_duplicate_groups as g on g.phone_e164 = p.phone_e164
    where not g.is_merged
),

identity as (
    select phone_e164, customer_id from staging.int_customer_identity
),

final as (
    select
        md5('possible_duplicate|' || p.phone_e164 || '|' || p.other_phone_e164) as review_id,
        a.customer_id,
        p.phone_e164,
        p.other_phone_e164,
        p.name,
        p.other_name,
        p.bought_at,
        p.other_bought_at,
        json_object(
            'reason', case when p.group_phones > 3 then 'part of a group of ' || p.group_phones || ' similar numbers' else 'not every number of its group matches every other' end,
            'other_customer_id', b.customer_id,
            'name_similarity', p.name_similarity,
            'jaro_winkler', p.jaro_winkler,
            'sku', p.sku,
            'days_apart', p.days_apart
        ) as details,
    from pairs as p
    join identity as a on a.phone_e164 = p.phone_e164
    join identity as b on b.phone_e164 = p.other_phone_e164
)

select * from final
