-- grain: one row per keyword and ISO week (local), the week's top 200 keywords
-- key: week, keyword
-- materialized: table
-- Keywords of customer (inbound) messages: Intl.Segmenter words, lower-cased, Korean
-- particles stripped, stop words removed (warehouse/text/keywords.ts). messages counts the
-- week's inbound messages containing the keyword (once per message), conversations the
-- threads they are in, share = messages / the week's inbound messages with text.
with messages as (
    select f.week, f.local_date - cast(f.local_weekday - 1 as integer) as week_start, f.message_id, f.conversation_id, t.keywords,
    from marts.fct_messages as f
    join staging.int_message_text as t on t.message_id = f.message_id
    where f.direction = 'inbound'
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
)

select * from final
