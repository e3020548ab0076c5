-- grain: one row per ISO week (local), sender kind and local hour of the send
-- key: week, sender_kind, local_hour
-- materialized: incremental
-- merge_on: week
-- merge_scope: replaced
-- Read rates by the local hour a message was sent, to find the hour customers read most
-- (read_rate = read / delivered; read_24h counts reads within 24 hours of the send).
-- Incremental: a week's rows read only that week's sends, and a send's counted columns are its
-- message's own (send time, delivery and read statuses: a late status moves the message's
-- fct_messages.load_id), so a build recomputes (and first deletes, `replaced`) the weeks with a
-- new or changed outbound message since the last build. A full build (since_load_id 0) computes
-- every week.
with changed_weeks as (
    select distinct week,
    from marts.fct_messages
    where {{since_load_id}} > 0 and direction = 'outbound' and load_id > {{since_load_id}}
),

sends as (
    select *
    from marts.fct_outbound_messages
    where {{since_load_id}} = 0 or week in (select week from changed_weeks)
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
),

replaced as (
    -- existing weeks this build recomputes (read only by an incremental build)
    select week from changed_weeks
)

select * from final
