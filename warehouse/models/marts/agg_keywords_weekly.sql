-- grain: one row per keyword and ISO week (local), the week's top 200 keywords
-- key: week, keyword
-- materialized: incremental
-- merge_on: week
-- merge_scope: replaced
-- Keywords of customer (inbound) messages: Intl.Segmenter words, lower-cased, Korean
-- particles stripped, stop words removed (warehouse/text/keywords.ts). messages counts the
-- week's inbound messages containing the keyword (once per message), conversations the
-- threads they are in, share = messages / the week's inbound messages with text.
-- Incremental: a week's rows read only that week's inbound messages, so a build recomputes
-- (and first deletes, `replaced`: its top 200 may change) the weeks with a new or changed inbound
-- message since the last build (fct_messages.load_id; a message's local date does not change once
-- loaded, and the rows name no customer, so a merge changes nothing here). A full build
-- (since_load_id 0) computes every week.
with changed_weeks as (
    select distinct week,
    from marts.fct_messages
    where direction = 'inbound' and load_id > {{since_load_id}}
),

messages as (
    select f.week, f.local_date - cast(f.local_weekday - 1 as integer) as week_start, f.message_id, f.conversation_id, t.keywords,
    from marts.fct_messages as f
    join staging.int_message_text as t on t.message_id = f.message_id
    where f.direction = 'inbound' and ({{since_load_id}} = 0 or f.week in (select week from changed_weeks))
),

week_totals as (
    select week, count(*) as text_messages, count(distinct conversation_id) as text_conversations,
    from messages
    group by week
),

keywords as (
    select week, week_start, message_id, conversation_id, unnest(keywords) as keyword,
    from messages
),

counted as (
    select week, any_value(week_start) as week_start, keyword, count(*) as messages, count(distinct conversation_id) as conversations,
    from keywords
    group by week, keyword
),

final as (
    select
        c.week,
        c.week_start,
        c.keyword,
        c.messages,
        c.conversations,
        c.messages / w.text_messages as share,
        c.conversations / w.text_conversations as conversation_share,
        row_number() over (partition by c.week order by c.messages desc, c.conversations desc, c.keyword) as rank,
    from counted as c
    join week_totals as w on w.week = c.week
    qualify rank <= 200
),

replaced as (
    -- existing weeks this build recomputes (read only by an incremental build)
    select week from changed_weeks
)

select * from final
