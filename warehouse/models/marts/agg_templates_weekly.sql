-- grain: one row per template, campaign and ISO week (local) of the send
-- key: week, template_name, campaign_id
-- materialized: table
-- How templates and campaigns performed: sent, delivered, read, clicked (SCRM link.clicked),
-- failed with Meta's error codes, replies from the customer within 72 hours of the send.
-- read_rate = read / delivered; click_through_rate = clicked / delivered; reply_rate =
-- replied / delivered. campaign_id is '(none)' for templates sent outside a campaign.
with sends as (
    select * from marts.fct_outbound_messages where sender_kind = 'template'
),

final as (
    select
        week,
        any_value(week_start) as week_start,
        coalesce(template_name, '(unnamed)') as template_name,
        coalesce(campaign_id, '(none)') as campaign_id,
        count(*) as sent,
        count(delivered_at) as delivered,
        count(read_at) as read,
        count(*) filter (where clicks > 0) as clicked,
        count(failed_at) as failed,
        coalesce(list_sort(list_distinct(list(error_code) filter (where error_code is not null))), []) as error_codes,
        count(*) filter (where is_replied_72h) as replied_72h,
        count(read_at) / nullif(count(delivered_at), 0) as read_rate,
        count(*) filter (where clicks > 0) / nullif(count(delivered_at), 0) as click_through_rate,
        count(*) filter (where is_replied_72h) / nullif(count(delivered_at), 0) as reply_rate,
        sum(cost_usd) as cost_usd,
    from sends
    group by week, coalesce(template_name, '(unnamed)'), coalesce(campaign_id, '(none)')
)

select * from final
