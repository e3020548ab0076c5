-- grain: one row per customer x field x source record x value x phone number (every claim a source makes about a customer; a merged customer has a WhatsApp profile name per number)
-- key: customer_id, field, source, value, phone_e164
-- materialized: table
-- Claims come from CRM contact records (name, tier, email, country, at the record's
-- modification time) and from WhatsApp (the profile name, at the last message that carried
-- it). value_key is what claims are compared by. A tier the mapping filled in with its
-- default is marked is_default: it never beats or conflicts with a tier someone set.
with identity as (
    select phone_e164, customer_id from staging.int_customer_identity
),

crm as (
    select
        phone_e164,
        vendor || ' contact ' || contact_id as source,
        modified_at as observed_at,
        name,
        tier,
        is_tier_defaulted,
        email,
        country,
    from staging.stg_crm_contacts
    where phone_e164 is not null
),

claims as (
    select phone_e164, source, observed_at, 'name' as field, name as value, false as is_default, from crm where name is not null
    union all
    select phone_e164, source, observed_at, 'tier' as field, tier as value, is_tier_defaulted as is_default, from crm where tier is not null
    union all
    select phone_e164, source, observed_at, 'email' as field, email as value, false as is_default, from crm where email is not null
    union all
    select phone_e164, source, observed_at, 'country' as field, country as value, false as is_default, from crm where country is not null
    union all
    select phone_e164, 'whatsapp profile' as source, last_seen_at as observed_at, 'name' as field, name as value, false as is_default,
    from staging.int_customer_names
    where list_contains(sources, 'whatsapp')
),

final as (
    select
        i.customer_id,
        c.field,
        c.value,
        case c.field
            when 'name' then array_to_string(list_sort(string_split(trim(regexp_replace(lower(strip_accents(c.value)), '[^\p{L}\p{N}]+', ' ', 'g')), ' ')), ' ')
            when 'country' then upper(trim(c.value))
            else lower(trim(c.value))
        end as value_key,
        c.is_default,
        c.observed_at,
        c.source,
        c.phone_e164,
    from claims as c
    join identity as i on i.phone_e164 = c.phone_e164
)

select * from final
