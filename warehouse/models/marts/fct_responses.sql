-- grain: one row per burst: the inbound customer messages of a conversation after the last agent reply
-- key: inbound_message_id
-- materialized: incremental
-- merge_on: conversation_id
-- A burst's response is the first later agent message (bots and templates are not
-- replies); an unanswered burst keeps replied_at and response_seconds NULL. Reactions
-- (an emoji on an earlier message) ask nothing and neither open nor extend a burst. On equal
-- times an inbound message sorts before an outbound one. A burst belongs to the local week,
-- day and hour of its first message. A session starts with a burst whose first message
-- comes more than 24 hours after the conversation's previous customer message (the
-- WhatsApp customer service window had closed).
-- Incremental: a late message can merge or split bursts, so every conversation with a new
-- or changed message or assignment is recomputed whole and replaces its previous bursts.
with affected as (
    select conversation_id from marts.fct_messages where load_id > {{since_load_id}}
    union
    -- a merge moved the conversation's customer
    select conversation_id from marts.fct_messages where customer_phone_e164 in (select phone_e164 from staging.int_customer_phone_changes)
    union
    select conversation_id from staging.stg_conversation_events where event_type = 'assigned' and load_id > {{since_load_id}}
),

messages as (
    select message_id, conversation_id, customer_id, direction, sender_kind, agent_id, sent_at
    from marts.fct_messages
    where conversation_id in (select conversation_id from affected)
        and ((direction = 'inbound' and message_type is distinct from 'reaction') or sender_kind = 'agent')
),

assignments as (
    select conversation_id, event_at, agent_id
    from staging.stg_conversation_events
    where event_type = 'assigned' and conversation_id in (select conversation_id from affected)
),

calendar as (
    select local_date, open_ranges, open_seconds_before
    from staging.int_business_calendar
),

numbered as (
    -- An inbound message belongs to burst number n = the agent messages before it; the
    -- burst's reply is the agent message with n agent messages before it.
    select
        *,
        count(*) filter (where sender_kind = 'agent') over (
            partition by conversation_id
            order by sent_at, direction = 'outbound', message_id
            rows between unbounded preceding and 1 preceding
        ) as burst_no,
    from messages
),

bursts as (
    select
        conversation_id,
        burst_no,
        first(message_id order by sent_at, message_id) as inbound_message_id,
        any_value(customer_id) as customer_id,
        min(sent_at) as inbound_at,
        max(sent_at) as last_inbound_at,
        count(*) as inbound_messages,
    from numbered
    where direction = 'inbound'
    group by conversation_id, burst_no
),

replies as (
    select conversation_id, burst_no, message_id as reply_message_id, agent_id, sent_at as replied_at
    from numbered
    where sender_kind = 'agent'
),

answered as (
    select
        b.*,
        r.reply_message_id,
        r.agent_id,
        r.replied_at,
        coalesce(epoch(b.inbound_at - lag(b.last_inbound_at) over (partition by b.conversation_id order by b.burst_no)) > 86400, true) as is_session_start,
    from bursts as b
    left join replies as r on r.conversation_id = b.conversation_id and r.burst_no = b.burst_no
),

sessions as (
    select
        *,
        last_value(case when is_session_start then inbound_message_id end ignore nulls) over (
            partition by conversation_id order by burst_no rows between unbounded preceding and current row
        ) as session_id,
    from answered
),

timeline as (
    -- The owner of a burst: the latest assignment at or before its reply (ever, when unanswered).
    select conversation_id, event_at as ts, 0 as kind, agent_id, cast(null as varchar) as inbound_message_id
    from assignments
    union all
    select conversation_id, coalesce(replied_at, 'infinity'::timestamptz) as ts, 1 as kind, cast(null as varchar) as agent_id, inbound_message_id
    from sessions
),

owners as (
    select inbound_message_id, assigned_agent_id
    from (
        select
            inbound_message_id,
            kind,
            last_value(agent_id ignore nulls) over (
                partition by conversation_id order by ts, kind rows between unbounded preceding and current row
            ) as assigned_agent_id,
        from timeline
    )
    where kind = 1
),

localized as (
    select
        s.*,
        o.assigned_agent_id,
        timezone({{tz}}, s.inbound_at) as inbound_local,
        timezone({{tz}}, s.replied_at) as replied_local,
    from sessions as s
    left join owners as o on o.inbound_message_id = s.inbound_message_id
),

business as (
    -- Open seconds elapsed since the calendar's first day, at the inbound and at the reply.
    select
        l.*,
        ci.open_seconds_before + coalesce(list_sum(list_transform(ci.open_ranges,
            r -> greatest(0, least(epoch(l.inbound_local - cast(ci.local_date as timestamp)), r.close_seconds) - r.open_seconds))), 0) as inbound_open_clock,
        cr.open_seconds_before + coalesce(list_sum(list_transform(cr.open_ranges,
            r -> greatest(0, least(epoch(l.replied_local - cast(cr.local_date as timestamp)), r.close_seconds) - r.open_seconds))), 0) as replied_open_clock,
    from localized as l
    left join calendar as ci on ci.local_date = cast(l.inbound_local as date)
    left join calendar as cr on cr.local_date = cast(l.replied_local as date)
),

final as (
    select
        inbound_message_id,
        conversation_id,
        customer_id,
        agent_id,
        assigned_agent_id,
        inbound_at,
        last_inbound_at,
        inbound_messages,
        reply_message_id,
        replied_at,
        (epoch_ms(replied_at) - epoch_ms(inbound_at)) / 1000.0 as response_seconds,
        cast(replied_open_clock - inbound_open_clock as double) as business_response_seconds,
        replied_at is not null as is_answered,
        case when replied_at is not null then replied_at <= last_inbound_at + interval 24 hours end as is_within_service_window,
        session_id,
        is_session_start,
        cast(inbound_local as date) as local_date,
        isodow(inbound_local) as local_weekday,
        hour(inbound_local) as local_hour,
        strftime(inbound_local, '%G-W%V') as week,
    from business
)

select * from final
