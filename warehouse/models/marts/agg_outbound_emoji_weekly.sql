-- grain: one row per ISO week (local), sender kind and whether the message had emoji
-- key: week, sender_kind, has_emoji
-- materialized: table
-- Outbound messages with emoji against those without, on the measures of
-- agg_templates_weekly (same definitions).
with sends as (
    select * from marts.fct_outbound_messages
),

final as (
    select
        week,
        any_value(week_start) as week_start,
        sender_kind,
        has_emoji,
        count(*) as sent,
        count(delivered_at) as delivered,
        count(read_at) as read,
        count(*) filter (where clicks > 0) as clicked,
        count(failed_at) as failed,
        count(*) filter (where is_replied_72h) as replied_72h,
        count(read_at) / nullif(count(delivered_at), 0) as read_rate,
        count(*) filter (where clicks > 0) / nullif(count(delivered_at), 0) as click_through_rate,
        count(*) filter (where is_replied_72h) / nullif(count(delivered_at), 0) as reply_rate,
    from sends
    group by week, sender_kind, has_emoji
)

select * from final
