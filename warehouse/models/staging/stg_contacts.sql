-- grain: one row per customer phone seen on WhatsApp or in the SCRM
-- key: phone_e164
-- materialized: table
with from_messages as (
    select
        customer_phone_e164 as phone_e164,
        arg_max(profile_name, sent_at) filter (where profile_name is not null) as profile_name,
        min(sent_at) as first_inbound_at,
        max(sent_at) as last_inbound_at,
    from staging.stg_whatsapp_messages
    group by customer_phone_e164
),

from_scrm as (
    select
        customer_phone_e164 as phone_e164,
        min(event_at) as first_event_at,
        max(event_at) as last_event_at,
    from staging.stg_scrm_events
    where customer_phone_e164 is not null
    group by customer_phone_e164
),

final as (
    select
        coalesce(m.phone_e164, s.phone_e164) as phone_e164,
        m.profile_name,
        least(m.first_inbound_at, s.first_event_at) as first_seen_at,
        greatest(m.last_inbound_at, s.last_event_at) as last_seen_at,
        m.first_inbound_at,
        m.last_inbound_at,
    from from_messages as m
    full outer join from_scrm as s on s.phone_e164 = m.phone_e164
)

select * from final
