-- grain: one row per intent tag and ISO week (local)
-- key: week, tag
-- materialized: table
-- Tags (config/tag_rules.json) of customer (inbound) messages per week, every tag of the
-- rules in every week with customer text (zero when unused). share = tagged messages / the
-- week's inbound messages with text; conversation_share = conversations with a tagged
-- customer message / conversations with customer text that week.
with messages as (
    select f.week, f.local_date - cast(f.local_weekday - 1 as integer) as week_start, f.message_id, f.conversation_id, f.tags,
    from marts.fct_messages as f
    where f.direction = 'inbound' and f.tags is not null
),

rule_tags as (
    select unnest(json_keys(json_extract({{tag_rules}}, '$.tags'))) as tag
),

week_totals as (
    select week, any_value(week_start) as week_start, count(*) as text_messages, count(distinct conversation_id) as text_conversations,
    from messages
    group by week
),

tagged as (
    select week, conversation_id, unnest(tags) as tag,
    from messages
),

counted as (
    select week, tag, count(*) as messages, count(distinct conversation_id) as conversations,
    from tagged
    group by week, tag
),

final as (
    select
        w.week,
        w.week_start,
        r.tag,
        coalesce(c.messages, 0) as messages,
        coalesce(c.conversations, 0) as conversations,
        coalesce(c.messages, 0) / w.text_messages as share,
        coalesce(c.conversations, 0) / w.text_conversations as conversation_share,
    from week_totals as w
    cross join rule_tags as r
    left join counted as c on c.week = w.week and c.tag = r.tag
)

select * from final
