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

-- (phone, member): member is in phone's group
reach(phone_e164, member) as (
    select from_phone, from_phone from edges
    union
    select e.to_phone, r.member
    from reach as r
    join edges as e on e.from_phone = r.phone_e164
),

groups as (
    select phone_e164, min(member) as group_id, count(*) as group_phones,
    from reach
    group by phone_e164
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
