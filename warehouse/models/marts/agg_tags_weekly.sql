-- grain: one row per intent tag and ISO week (local)
-- key: week, tag
-- materialized: incremental
-- merge_on: week
-- merge_scope: replaced
-- Tags (config/tag_rules.json) of customer (inbound) messages per week, every tag of the
-- rules in every week with customer text (zero when unused). share = tagged messages / the
-- week's inbound messages with text; conversation_share = conversations with a tagged
-- customer message / conversations with customer text that week.
-- Incremental: a week's rows read only that week's inbound messages, so a build recomputes
-- (and first deletes, `replaced`: a week may lose its last tagged message) the weeks with a new
-- or changed inbound message since the last build (fct_messages.load_id), as
-- agg_keywords_weekly does; a change of the tag rules changes the SQL and rebuilds it whole. A
-- full build (since_load_id 0) computes every week.
with changed_weeks as (
    select distinct week,
    from marts.fct_messages
    where {{since_load_id}} > 0 and direction = 'inbound' and load_id > {{since_load_id}}
),

messages as (
    select f.week, f.local_date - cast(f.local_weekday - 1 as integer) as week_start, f.message_id, f.conversation_id, f.tags,
    from marts.fct_messages as f
    where f.direction = 'inbound' and f.tags is not null
        and ({{since_load_id}} = 0 or f.week in (select week from changed_weeks))
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
),

replaced as (
    -- existing weeks this build recomputes (read only by an incremental build)
    select week from changed_weeks
)

select * from final
