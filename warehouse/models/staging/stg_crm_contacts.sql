-- grain: one row per CRM contact (its latest version)
-- key: vendor, contact_id
-- materialized: table
-- A record lands again with every pull and every export: the latest modification wins
-- (millisecond timestamps), then the latest load. Records from the API and from CSV
-- exports of the same CRM share ids, so the key is the vendor and the record id.
with versions as (
    select
        load_id,
        source,
        vendor,
        record_id as contact_id,
        line_no,
        coalesce(modified_at, created_at) as modified_at,
        created_at,
        phone_e164,
        nullif(trim(name), '') as name,
        email,
        tier,
        coalesce(list_contains(string_split(defaulted_fields, ','), 'tier'), false) as is_tier_defaulted,
        country,
        city,
        address,
        postal_code,
    from raw.crm_contacts
),

final as (
    select
        vendor,
        contact_id,
        phone_e164,
        name,
        email,
        tier,
        is_tier_defaulted,
        country,
        city,
        address,
        postal_code,
        created_at,
        modified_at,
        source,
        load_id,
    from versions
    qualify row_number() over (partition by vendor, contact_id order by modified_at desc nulls last, load_id desc, line_no desc nulls last) = 1
)

select * from final
