-- grain: one row per customer phone seen on WhatsApp, in the SCRM or in a chat export
-- key: phone_e164
-- materialized: table
-- Customers of chat exports that show a name instead of a number carry the pseudo id
-- 'export:<hash of the name>' in phone_e164 (see docs/whatsapp-export.md); their
-- profile_name is the name the export shows.
with from_messages as (
    select
        customer_phone_e164 as phone_e164,
        arg_max(profile_name, sent_at) filter (where profile_name is not null) as profile_name,
        min(sent_at) as first_inbound_at,
        max(sent_at) as last_inbound_at,
        min(sent_at) as first_seen_at,
        max(sent_at) as last_seen_at,
    from staging.stg_whatsapp_messages
    group by customer_phone_e164
),

from_scrm as (
    select
        customer_phone_e164 as phone_e164,
        cast(null as varchar) as profile_name,
        cast(null as timestamptz) as first_inbound_at,
        cast(null as timestamptz) as last_inbound_at,
        min(event_at) as first_seen_at,
        max(event_at) as last_seen_at,
    from staging.stg_scrm_events
    where customer_phone_e164 is not null
    group by customer_phone_e164
),

from_exports as (
    select
        customer_phone_e164 as phone_e164,
        arg_max(customer_name, sent_at) as profile_name,
        min(sent_at) filter (where not is_business) as first_inbound_at,
        max(sent_at) filter (where not is_business) as last_inbound_at,
        min(sent_at) as first_seen_at,
        max(sent_at) as last_seen_at,
    from staging.stg_export_messages
    group by customer_phone_e164
),

sightings as (
    select * from from_messages
    union all by name
    select * from from_scrm
    union all by name
    select * from from_exports
),

final as (
    select
        phone_e164,
        -- the name seen last: a WhatsApp profile name or the name a chat export shows
        arg_max(profile_name, coalesce(last_inbound_at, last_seen_at)) filter (where profile_name is not null) as profile_name,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at,
        min(first_inbound_at) as first_inbound_at,
        max(last_inbound_at) as last_inbound_at,
    from sightings
    group by phone_e164
)

select * from final
