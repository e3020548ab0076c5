-- grain: one row per pair of phone numbers that look like one person
-- key: phone_e164, other_phone_e164
-- materialized: incremental
-- merge_scope: replaced
-- The duplicate rule (DESIGN section 5): two different numbers whose names are similar
-- (normalised Levenshtein >= 0.8: 1 - edits / length of the longer name key, rounded to
-- 4 places) and that bought the same SKU within 90 days of each other (bought = the deal
-- reached ordered or paid). Jaro-Winkler is kept as evidence but does not decide: it
-- scores different people sharing a surname ("chan ka yan" / "chan ho yin": 0.85) above
-- 0.8. Only buyers of one SKU whose name keys share their first or last three letters are
-- compared (blocking: the build stays linear in customers); two similar names that differ
-- in both their first and last three letters are not found. Before any name is compared, a
-- candidate must have bought within the 90 days and have a name key whose length in bytes
-- is close enough for the similarity to reach 0.8 (levenshtein counts byte edits, at least
-- the difference in bytes); each candidate comes from one block only (the tail block skips
-- what the head block found), so no candidate is compared twice.
-- Incremental: a pair reads only the purchases and names of its two numbers. Without new CRM
-- records (raw.crm_contacts, raw.crm_deals, raw.crm_deal_stage_changes: a deal's phone, SKU or
-- stages, or a contact's name, may change), the only new input is a WhatsApp profile name
-- (names only add up: every name a number went by counts), so a build recomputes the pairs
-- of the numbers with a new WhatsApp message that carries a profile name (and first deletes
-- their previous pairs, `replaced`); with new CRM records, or in a full build, it recomputes
-- every pair. A new version of any model upstream rebuilds it whole (the runner).
with crm_changed as (
    select
        {{since_load_id}} = 0
        or exists (select 1 from raw.crm_contacts where load_id > {{since_load_id}})
        or exists (select 1 from raw.crm_deals where load_id > {{since_load_id}})
        or exists (select 1 from raw.crm_deal_stage_changes where load_id > {{since_load_id}}) as every_pair,
),

renamed as (
    -- numbers that may go by a new name since the last build
    select distinct customer_phone_e164 as phone_e164
    from staging.stg_whatsapp_messages
    where load_id > {{since_load_id}} and profile_name is not null and customer_phone_e164 is not null
),

reached as (
    select vendor, deal_id, min(valid_from) as bought_at,
    from staging.stg_crm_deal_stages
    where stage in ('ordered', 'paid')
    group by vendor, deal_id
),

purchases as (
    select distinct d.phone_e164, d.sku, r.bought_at,
    from staging.stg_crm_deals as d
    join reached as r on r.vendor = d.vendor and r.deal_id = d.deal_id
    where d.phone_e164 is not null and d.sku is not null
),

buyers as (
    select
        p.phone_e164,
        p.sku,
        p.bought_at,
        n.name,
        n.name_key,
        left(n.name_key, 3) as key_head,
        right(n.name_key, 3) as key_tail,
        length(n.name_key) as key_length,
        strlen(n.name_key) as key_bytes,
    from purchases as p
    join staging.int_customer_names as n on n.phone_e164 = p.phone_e164
    where n.name_key <> ''
),

recomputed as (
    -- the buyers whose pairs this build recomputes: pairs of two of them are found once (a is the lower number)
    select b.*,
    from buyers as b, crm_changed as c
    where c.every_pair or b.phone_e164 in (select phone_e164 from renamed)
),

unchanged as (
    select b.*,
    from buyers as b, crm_changed as c
    where not c.every_pair and b.phone_e164 not in (select phone_e164 from renamed)
),

blocked as (
    -- a recomputed buyer and any higher number, then an unchanged buyer and a higher recomputed one
    select a.phone_e164, b.phone_e164 as other_phone_e164, a.sku, a.bought_at, b.bought_at as other_bought_at, a.name, b.name as other_name, a.name_key, b.name_key as other_name_key,
    from recomputed as a
    join buyers as b on b.sku = a.sku and b.key_head = a.key_head
    where b.phone_e164 > a.phone_e164
        and abs(epoch(b.bought_at) - epoch(a.bought_at)) <= 90 * 86400
        and round(1 - abs(a.key_bytes - b.key_bytes) / greatest(a.key_length, b.key_length), 4) >= 0.8
    union all
    select a.phone_e164, b.phone_e164 as other_phone_e164, a.sku, a.bought_at, b.bought_at as other_bought_at, a.name, b.name as other_name, a.name_key, b.name_key as other_name_key,
    from recomputed as a
    join buyers as b on b.sku = a.sku and b.key_tail = a.key_tail
    where b.phone_e164 > a.phone_e164
        and b.key_head <> a.key_head
        and abs(epoch(b.bought_at) - epoch(a.bought_at)) <= 90 * 86400
        and round(1 - abs(a.key_bytes - b.key_bytes) / greatest(a.key_length, b.key_length), 4) >= 0.8
    union all
    select a.phone_e164, b.phone_e164 as other_phone_e164, a.sku, a.bought_at, b.bought_at as other_bought_at, a.name, b.name as other_name, a.name_key, b.name_key as other_name_key,
    from unchanged as a
    join recomputed as b on b.sku = a.sku and b.key_head = a.key_head
    where b.phone_e164 > a.phone_e164
        and abs(epoch(b.bought_at) - epoch(a.bought_at)) <= 90 * 86400
        and round(1 - abs(a.key_bytes - b.key_bytes) / greatest(a.key_length, b.key_length), 4) >= 0.8
    union all
    select a.phone_e164, b.phone_e164 as other_phone_e164, a.sku, a.bought_at, b.bought_at as other_bought_at, a.name, b.name as other_name, a.name_key, b.name_key as other_name_key,
    from unchanged as a
    join recomputed as b on b.sku = a.sku and b.key_tail = a.key_tail
    where b.phone_e164 > a.phone_e164
        and b.key_head <> a.key_head
        and abs(epoch(b.bought_at) - epoch(a.bought_at)) <= 90 * 86400
        and round(1 - abs(a.key_bytes - b.key_bytes) / greatest(a.key_length, b.key_length), 4) >= 0.8
),

scored as (
    select
        phone_e164,
        other_phone_e164,
        name,
        other_name,
        round(1 - levenshtein(name_key, other_name_key) / greatest(length(name_key), length(other_name_key)), 4) as name_similarity,
        round(jaro_winkler_similarity(name_key, other_name_key), 4) as jaro_winkler,
        sku,
        bought_at,
        other_bought_at,
        round(abs(epoch(other_bought_at) - epoch(bought_at)) / 86400, 3) as days_apart,
    from blocked
),

final as (
    select *
    from scored
    where name_similarity >= 0.8
    qualify row_number() over (
        partition by phone_e164, other_phone_e164
        order by name_similarity desc, days_apart, sku, name, other_name
    ) = 1
),

replaced as (
    -- existing pairs this build recomputes (every one with new CRM records)
    select p.phone_e164, p.other_phone_e164,
    from staging.int_customer_duplicate_pairs as p, crm_changed as c
    where c.every_pair or p.phone_e164 in (select phone_e164 from renamed) or p.other_phone_e164 in (select phone_e164 from renamed)
)

select * from final
