-- grain: one row per conversation (business number x customer thread)
-- key: conversation_id
-- materialized: table
-- What a conversation is about and how the customer felt: the union of its messages'
-- tags (both directions), the customer's languages, and the average, lowest and latest
-- sentiment of the customer's messages (messages without text are not rated).
-- Tags and languages are gathered distinct (list(distinct ...)), so a conversation's state
-- holds its few distinct tag lists and languages, not one entry per message.
with messages as (
    select conversation_id, customer_id, direction, sent_at, language, sentiment, tags,
    from marts.fct_messages
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
        mode(language) filter (where direction = 'inbound' and language is not null and language <> 'und') as main_language,
        min(sent_at) as first_message_at,
        max(sent_at) as last_message_at,
    from messages
    group by conversation_id
)

select * from final
