-- grain: one row per phone number x name it goes by (CRM contact names, WhatsApp profile names)
-- key: phone_e164, name
-- materialized: table
-- name_key is what names are compared by: lower case, accents and punctuation gone,
-- words sorted (CRMs write "Tai Man Chan" for the "Chan Tai Man" of WhatsApp).
with names as (
    select phone_e164, name, coalesce(modified_at, created_at) as observed_at, 'crm:' || vendor as source,
    from staging.stg_crm_contacts
    where phone_e164 is not null and name is not null
    union all
    select customer_phone_e164 as phone_e164, profile_name as name, sent_at as observed_at, 'whatsapp' as source,
    from staging.stg_whatsapp_messages
    where profile_name is not null
),

final as (
    select
        phone_e164,
        name,
        array_to_string(list_sort(string_split(trim(regexp_replace(lower(strip_accents(name)), '[^\p{L}\p{N}]+', ' ', 'g')), ' ')), ' ') as name_key,
        max(observed_at) as last_seen_at,
        list(distinct source order by source) as sources,
    from names
    group by phone_e164, name
)

select * from final
