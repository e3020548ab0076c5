-- grain: one row per ISO week (local), sender kind and local hour of the send
-- key: week, sender_kind, local_hour
-- materialized: table
-- Read rates by the local hour a message was sent, to find the hour customers read most
-- (read_rate = read / delivered; read_24h counts reads within 24 hours of the send).
with sends as (
    select * from marts.fct_outbound_messages
),

final as (
    select
        week,
        any_value(week_start) as week_start,
        sender_kind,
        local_hour,
        count(*) as sent,
        count(delivered_at) as delivered,
        count(read_at) as read,
        count(*) filter (where read_at <= sent_at + interval 24 hour) as read_24h,
        count(read_at) / nullif(count(delivered_at), 0) as read_rate,
    from sends
    group by week, sender_kind, local_hour
)

select * from final
