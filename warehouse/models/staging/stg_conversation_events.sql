-- grain: one row per SCRM ticket event: event_type assigned, resolved, reopened or csat
-- key: event_id
-- materialized: incremental
-- A ticket (SCRM conversation_id) lives inside a thread; the thread is the event's business
-- number and customer, or, when the event has no number, the customer's thread with the
-- latest message at or before the event.
-- Incremental: every event of a ticket with a new event is recomputed (a csat answer takes its
-- customer from the ticket's other events), and every event of a customer with a new or
-- changed message (it can move the latest thread); each replaces its previous row. A full
-- build (since_load_id 0) takes every event without looking in `affected`.
with ticket_events as (
    select *
    from staging.stg_scrm_events
    where event_type in ('conversation.assigned', 'conversation.resolved', 'conversation.reopened', 'csat.answered')
),

changed_customers as (
    select distinct customer_phone_e164 from staging.stg_messages where {{since_load_id}} > 0 and load_id > {{since_load_id}}
),

affected_tickets as (
    select ticket_id from ticket_events where {{since_load_id}} > 0 and load_id > {{since_load_id}}
    union
    select ticket_id from ticket_events where {{since_load_id}} > 0 and customer_phone_e164 in (select customer_phone_e164 from changed_customers)
),

events as (
    select
        event_id,
        case event_type when 'csat.answered' then 'csat' else replace(event_type, 'conversation.', '') end as event_type,
        event_at,
        ticket_id,
        customer_phone_e164,
        phone_number_id,
        agent_id,
        score,
        load_id,
    from ticket_events
    where {{since_load_id}} = 0
        or ticket_id in (select ticket_id from affected_tickets)
        or load_id > {{since_load_id}}
        or customer_phone_e164 in (select customer_phone_e164 from changed_customers)
),

ticket_customers as (
    -- csat answers carry only the ticket: take its customer and number from the ticket's other events
    select
        ticket_id,
        any_value(customer_phone_e164) as customer_phone_e164,
        any_value(phone_number_id) filter (where phone_number_id is not null) as phone_number_id,
    from events
    where customer_phone_e164 is not null
    group by ticket_id
),

resolved as (
    select
        e.event_id,
        e.event_type,
        e.event_at,
        e.ticket_id,
        coalesce(e.customer_phone_e164, t.customer_phone_e164) as customer_phone_e164,
        coalesce(e.phone_number_id, t.phone_number_id) as phone_number_id,
        e.agent_id,
        e.score,
        e.load_id,
    from events as e
    left join ticket_customers as t on t.ticket_id = e.ticket_id
),

latest_thread as (
    select
        r.event_id,
        arg_max(m.phone_number_id, m.sent_at) as phone_number_id,
    from resolved as r
    join staging.stg_messages as m
        on m.customer_phone_e164 = r.customer_phone_e164 and m.sent_at <= r.event_at
    where r.phone_number_id is null
    group by r.event_id
),

final as (
    select
        r.event_id,
        r.event_type,
        r.event_at,
        r.ticket_id,
        coalesce(r.phone_number_id, l.phone_number_id) || ':' || r.customer_phone_e164 as conversation_id,
        coalesce(r.phone_number_id, l.phone_number_id) as phone_number_id,
        r.customer_phone_e164,
        r.agent_id,
        r.score,
        r.load_id,
    from resolved as r
    left join latest_thread as l on l.event_id = r.event_id
)

select * from final
