-- grain: one row per customer with a message or a CRM deal
-- key: customer_id
-- materialized: incremental
-- merge_scope: replaced
-- The sales funnel of each customer: first contact -> engaged (two-way exchange) -> quoted
-- (a quote-tagged message or a CRM deal's quoted stage) -> ordered (a deal's ordered stage,
-- or paid when it skipped it) -> paid. Reaching a stage implies the earlier ones: a stage
-- the data does not show gets the time of the next stage that it does show. Deal stage
-- times come from the CRM stage history (staging.stg_crm_deal_stages, valid_from).
-- Incremental: a row reads only its customer's messages and deals. Without new CRM records
-- (raw.crm_contacts, raw.crm_deals, raw.crm_deal_stage_changes: a deal's phone or stages, or a
-- contact, may change) and without numbers whose customer changed (a merge:
-- staging.int_customer_phone_changes), a build recomputes (and first deletes, `replaced`) the
-- customers with a new or changed message since the last build (fct_messages.load_id); otherwise,
-- or in a full build (since_load_id 0), it recomputes every customer and first deletes every row
-- (a merged-away customer has none any more).
with every_customer as (
    select
        {{since_load_id}} = 0
        or exists (select 1 from raw.crm_contacts where load_id > {{since_load_id}})
        or exists (select 1 from raw.crm_deals where load_id > {{since_load_id}})
        or exists (select 1 from raw.crm_deal_stage_changes where load_id > {{since_load_id}})
        or exists (select 1 from staging.int_customer_phone_changes) as recompute_all,
),

changed_customers as (
    select distinct customer_id,
    from marts.fct_messages
    where load_id > {{since_load_id}} and customer_id is not null
),

messages as (
    select customer_id, direction, sender_kind, sent_at, tags, is_media,
    from marts.fct_messages
    where customer_id is not null
        and ((select recompute_all from every_customer) or customer_id in (select customer_id from changed_customers))
),

deals as (
    select d.vendor, d.deal_id, p.customer_id, d.payment_method, d.created_at,
    from staging.stg_crm_deals as d
    join staging.int_customer_phones as p on p.phone_e164 = d.phone_e164
    where (select recompute_all from every_customer) or p.customer_id in (select customer_id from changed_customers)
),

deal_stages as (
    select
        d.customer_id,
        d.deal_id,
        d.payment_method,
        d.created_at,
        min(s.valid_from) filter (where s.stage = 'quoted') as quoted_at,
        -- "ordered" when the deal was ordered, or paid without an ordered step on record
        coalesce(min(s.valid_from) filter (where s.stage = 'ordered'), min(s.valid_from) filter (where s.stage = 'paid')) as ordered_at,
        min(s.valid_from) filter (where s.stage = 'paid') as paid_at,
    from deals as d
    left join staging.stg_crm_deal_stages as s on s.vendor = d.vendor and s.deal_id = d.deal_id
    group by all
),

customer_deals as (
    select
        customer_id,
        count(*) as deals,
        min(least(created_at, quoted_at, ordered_at, paid_at)) as first_deal_at,
        min(quoted_at) as deal_quoted_at,
        min(ordered_at) as ordered_at,
        min(paid_at) as paid_at,
        -- the payment method of the first order
        arg_min(payment_method, ordered_at) filter (where ordered_at is not null) as payment_method,
    from deal_stages
    group by customer_id
),

message_firsts as (
    select
        customer_id,
        min(sent_at) as first_message_at,
        min(sent_at) filter (where direction = 'inbound') as first_inbound_at,
        min(sent_at) filter (where sender_kind in ('agent', 'template')) as first_business_at,
        min(sent_at) filter (where list_contains(tags, 'quote')) as quote_tag_at,
    from messages
    group by customer_id
),

exchanges as (
    -- engaged: an agent answered the customer, or the customer answered the business
    -- (bots do not make an exchange)
    select
        m.customer_id,
        min(m.sent_at) filter (where m.sender_kind = 'agent' and m.sent_at > f.first_inbound_at) as agent_reply_at,
        min(m.sent_at) filter (where m.direction = 'inbound' and m.sent_at > f.first_business_at) as customer_reply_at,
    from messages as m
    join message_firsts as f on f.customer_id = m.customer_id
    group by m.customer_id
),

customers as (
    select customer_id from message_firsts
    union
    select customer_id from customer_deals
),

stages as (
    select
        c.customer_id,
        least(f.first_message_at, d.first_deal_at) as first_contact_at,
        least(e.agent_reply_at, e.customer_reply_at) as exchange_at,
        least(f.quote_tag_at, d.deal_quoted_at) as quote_at,
        d.ordered_at,
        d.paid_at,
        d.payment_method,
        coalesce(d.deals, 0) as deals,
    from customers as c
    left join message_firsts as f on f.customer_id = c.customer_id
    left join exchanges as e on e.customer_id = c.customer_id
    left join customer_deals as d on d.customer_id = c.customer_id
),

implied as (
    select
        *,
        coalesce(ordered_at, paid_at) as ordered_at_implied,
    from stages
),

early_media as (
    select s.customer_id, count(*) as early_media_messages,
    from messages as m
    join stages as s on s.customer_id = m.customer_id
    where m.direction = 'outbound' and m.is_media and m.sent_at >= s.first_contact_at and m.sent_at < s.first_contact_at + interval 24 hour
    group by s.customer_id
),

final as (
    select
        i.customer_id,
        i.first_contact_at,
        strftime(timezone({{tz}}, i.first_contact_at), '%G-W%V') as first_contact_week,
        coalesce(i.exchange_at, i.quote_at, i.ordered_at_implied) as engaged_at,
        coalesce(i.quote_at, i.ordered_at_implied) as quoted_at,
        i.ordered_at_implied as ordered_at,
        i.paid_at,
        i.payment_method,
        epoch(i.ordered_at_implied - i.first_contact_at) / 86400 as days_to_order,
        coalesce(m.early_media_messages, 0) > 0 as has_early_media,
        i.deals,
        coalesce(i.exchange_at, i.quote_at, i.ordered_at_implied) is not null as is_engaged,
        coalesce(i.quote_at, i.ordered_at_implied) is not null as is_quoted,
        i.ordered_at_implied is not null as is_ordered,
        i.paid_at is not null as is_paid,
    from implied as i
    left join early_media as m on m.customer_id = i.customer_id
),

replaced as (
    -- existing customers this build recomputes (read only by an incremental build)
    select t.customer_id,
    from marts.fct_funnel as t
    where (select recompute_all from every_customer) or t.customer_id in (select customer_id from changed_customers)
)

select * from final
