-- grain: one row per phone number that is in at least one duplicate pair
-- key: phone_e164
-- materialized: table
-- Duplicate pairs joined into groups (connected components). A group becomes one customer
-- only when it is small (at most 3 numbers) and every two of its numbers are a pair on
-- their own: a chain A~B~C where A and C do not match, or a crowd of people sharing a
-- common name, is left for a person to decide (ops.review_queue, kind possible_duplicate)
-- instead of being glued into one customer.
with recursive edges as (
    select phone_e164 as from_phone, other_phone_e164 as to_phone, from staging.int_customer_duplicate_pairs
    union all
    select other_phone_e164 as from_phone, phone_e164 as to_phone, from staging.int_customer_duplicate_pairs
),

-- Connected components by label propagation: every number starts with the smallest number
-- among itself and its neighbours, and a number whose label got smaller passes it on to its
-- neighbours until no label changes. Each number ends with the smallest number of its
-- component; the work grows with the pairs and the component's diameter, not with the
-- square of a component's size (a crowd of thousands sharing a common name).
labels(phone_e164, label) using key (phone_e164) as (
    select from_phone, least(from_phone, min(to_phone)),
    from edges
    group by from_phone
    union
    select e.to_phone, min(l.label),
    from labels as l
    join edges as e on e.from_phone = l.phone_e164
    join recurring.labels as r on r.phone_e164 = e.to_phone
    where l.label < r.label
    group by e.to_phone
),

groups as (
    select phone_e164, label as group_id, count(*) over (partition by label) as group_phones,
    from labels
),

group_pairs as (
    select g.group_id, count(*) as group_pairs,
    from staging.int_customer_duplicate_pairs as p
    join groups as g on g.phone_e164 = p.phone_e164
    group by g.group_id
),

final as (
    select
        g.phone_e164,
        g.group_id,
        g.group_phones,
        gp.group_pairs,
        g.group_phones <= 3 and gp.group_pairs = g.group_phones * (g.group_phones - 1) / 2 as is_merged,
    from groups as g
    join group_pairs as gp on gp.group_id = g.group_id
)

select * from final
