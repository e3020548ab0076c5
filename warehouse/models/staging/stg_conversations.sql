-- grain: one row per conversation (thread between one business number and one customer)
-- key: conversation_id
-- materialized: table
with final as (
    select
        conversation_id,
        any_value(phone_number_id) as phone_number_id,
        any_value(customer_phone_e164) as customer_phone_e164,
        min(sent_at) as first_message_at,
        max(sent_at) as last_message_at,
        count(*) as messages,
        count(*) filter (where direction = 'inbound') as inbound_messages,
        count(*) filter (where direction = 'outbound') as outbound_messages,
        min(sent_at) filter (where direction = 'inbound') as first_inbound_at,
        max(sent_at) filter (where direction = 'inbound') as last_inbound_at,
    from staging.stg_messages
    group by conversation_id
)

select * from final
