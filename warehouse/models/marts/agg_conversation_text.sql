-- grain: one row per conversation (business number x customer thread)
-- key: conversation_id
-- materialized: incremental
-- merge_scope: replaced
-- What a conversation is about and how the customer felt: the union of its messages'
-- tags (both directions), the customer's languages, and the average, lowest and latest
-- sentiment of the customer's messages (messages without text are not rated).
-- main_language: the language of most inbound messages; a tie goes to the first by name, so
-- the answer does not depend on the order rows are stored in (mode() picks either).
-- Tags and languages are gathered distinct (list(distinct ...)), so a conversation's state
-- holds its few distinct tag lists and languages, not one entry per message.
-- avg_sentiment sums the sentiments as decimals (4 places, warehouse/text/sentiment.ts): exact,
-- so it does not depend on the order rows are added in (a merge reads them in another).
-- Incremental: a row reads only its conversation's messages, so a build recomputes (and first
-- deletes, `replaced`) the conversations with a new or changed message since the last build
-- (fct_messages.load_id), and those of numbers whose customer changed (a merge:
-- staging.int_customer_phone_changes). A conversation is one number's thread, so its messages
-- never move to another one. A full build (since_load_id 0) computes every conversation.
with changed as (
    select distinct conversation_id,
    from marts.fct_messages
    where load_id > {{since_load_id}}
        or customer_phone_e164 in (select phone_e164 from staging.int_customer_phone_changes)
),

messages as (
    select conversation_id, customer_id, direction, sent_at, language, sentiment, tags,
    from marts.fct_messages
    where {{since_load_id}} = 0 or conversation_id in (select conversation_id from changed)
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

conversations as (
    select
        conversation_id,
        any_value(customer_id) as customer_id,
        count(*) as messages,
        count(*) filter (where direction = 'inbound') as inbound_messages,
        count(sentiment) filter (where direction = 'inbound') as rated_inbound_messages,
        avg(cast(sentiment as decimal(18, 4))) filter (where direction = 'inbound') as avg_sentiment,
        min(sentiment) filter (where direction = 'inbound') as min_sentiment,
        arg_max(sentiment, sent_at) filter (where direction = 'inbound' and sentiment is not null) as last_sentiment,
        coalesce(list_sort(list_distinct(flatten(list(distinct tags) filter (where tags is not null)))), []) as tags,
        coalesce(list_sort(list(distinct language) filter (where direction = 'inbound' and language is not null and language <> 'und')), []) as languages,
        min(sent_at) as first_message_at,
        max(sent_at) as last_message_at,
    from messages
    group by conversation_id
),

final as (
    select
        c.conversation_id, c.customer_id, c.messages, c.inbound_messages, c.rated_inbound_messages,
        c.avg_sentiment, c.min_sentiment, c.last_sentiment, c.tags, c.languages,
        l.main_language,
        c.first_message_at, c.last_message_at,
    from conversations as c
    left join main_languages as l on l.conversation_id = c.conversation_id
),

replaced as (
    -- existing conversations this build recomputes (read only by an incremental build)
    select conversation_id from changed
)

select * from final
