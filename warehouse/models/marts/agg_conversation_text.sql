-- grain: one row per conversation (business number x customer thread)
-- key: conversation_id
-- materialized: table
-- What a conversation is about and how the customer felt: the union of its messages'
-- tags (both directions), the customer's languages, and the average, lowest and latest
-- sentiment of the customer's messages (messages without text are not rated).
-- main_language: the language of most inbound messages; a tie goes to the first by name, so
-- the answer does not depend on the order rows are stored in (mode() picks either).
-- Tags and languages are gathered distinct (list(distinct ...)), so a conversation's state
-- holds its few distinct tag lists and languages, not one entry per message.
with messages as (
    select conversation_id, customer_id, direction, sent_at, language, sentiment, tags,
    from marts.fct_messages
),

language_counts as (
    select conversation_id, language, count(*) as messages,
    from messages
    where direction = 'inbound' and language is not null and language <> 'und'
    group by conversation_id, language
),

main_languages as (
    select conversation_id, first(language order by messages desc, language) as main_language,
    from language_counts
    group by conversation_id
),

final as (
    select
        conversation_id,
        any_value(customer_id) as customer_id,
        count(*) as messages,
        count(*) filter (where direction = 'inbound') as inbound_messages,
        count(sentiment) filter (where direction = 'inbound') as rated_inbound_messages,
        avg(sentiment) filter (where direction = 'inbound') as avg_sentiment,
        min(sentiment) filter (where direction = 'inbound') as min_sentiment,
        arg_max(sentiment, sent_at) filter (where direction = 'inbound' and sentiment is not null) as last_sentiment,
        coalesce(list_sort(list_distinct(flatten(list(distinct tags) filter (where tags is not null)))), []) as tags,
        coalesce(list_sort(list(distinct language) filter (where direction = 'inbound' and language is not null and language <> 'und')), []) as languages,
        min(sent_at) as first_message_at,
        max(sent_at) as last_message_at,
    from messages
    group by conversation_id
)

select
    final.conversation_id, final.customer_id, final.messages, final.inbound_messages, final.rated_inbound_messages,
    final.avg_sentiment, final.min_sentiment, final.last_sentiment, final.tags, final.languages,
    main_languages.main_language,
    final.first_message_at, final.last_message_at,
from final
left join main_languages on main_languages.conversation_id = final.conversation_id
