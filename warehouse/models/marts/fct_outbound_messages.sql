-- grain: one row per outbound message (agent, bot, template)
-- key: message_id
-- materialized: incremental
-- merge_on: conversation_id
-- What each send cost and whether it kept WhatsApp's rules. Cost: config/rate_card.json's
-- price for the message's pricing category and the recipient's market (longest calling-code
-- match, else "*"), the rate in effect on the UTC delivery date; only delivered billable
-- messages cost money (Meta's per-message pricing). Window: the customer service window is
-- open for config/messaging_limits.json window_hours (24) after the customer's last message
-- in the conversation; a free-form (agent or bot) message outside it is a violation (Meta
-- refuses most with error 131047), a template outside it is business-initiated and allowed.
-- Daily cap: business-initiated sends (templates) of a number reach at most the cap of
-- distinct customers per local day; sends to customers beyond it are over the cap.
-- Incremental: every conversation whose rows can differ from the last build is recomputed
-- whole and replaces its previous rows: a new or changed message (a late status too: it
-- moves the message's load_id), a customer merge moving its number, a new click on one of
-- its messages, or a new template from the same number on the same local day as one of its
-- templates (the daily ranks). The ranks themselves are counted over every template of those
-- number-days, in any conversation. A full build (since_load_id 0) takes every conversation
-- without looking in `affected`.
with affected as (
    select conversation_id from marts.fct_messages where {{since_load_id}} > 0 and load_id > {{since_load_id}}
    union
    select conversation_id from marts.fct_messages
    where {{since_load_id}} > 0 and customer_phone_e164 in (select phone_e164 from staging.int_customer_phone_changes)
    union
    select conversation_id from marts.fct_messages
    where {{since_load_id}} > 0
        and message_id in (select message_id from staging.stg_scrm_events where event_type = 'link.clicked' and load_id > {{since_load_id}})
    union
    select conversation_id from marts.fct_messages
    where {{since_load_id}} > 0 and sender_kind = 'template'
        and (phone_number_id, local_date) in (
            select (phone_number_id, local_date) from marts.fct_messages where sender_kind = 'template' and load_id > {{since_load_id}}
        )
),

scope as (
    select *
    from marts.fct_messages
    where {{since_load_id}} = 0 or conversation_id in (select conversation_id from affected)
),

outbound as (
    select
        message_id, conversation_id, customer_id, customer_phone_e164, phone_number_id, agent_id, sender_kind, sent_at, local_date, local_hour, week,
        local_date - cast(local_weekday - 1 as integer) as week_start,
        template_name, campaign_id, has_emoji, delivered_at, read_at, failed_at, error_code, pricing_category, is_billable,
    from scope
    where direction = 'outbound'
),

inbound as (
    select conversation_id, sent_at from scope where direction = 'inbound'
),

limits as (
    select from_json({{messaging_limits}}, '{"daily_cap_per_number":"INTEGER","per_number":[{"phone_number_id":"VARCHAR","cap":"INTEGER"}],"window_hours":"DOUBLE"}') as l
),

number_caps as (
    select unnest(l.per_number, recursive := true) from limits
),

card as (
    select from_json({{rate_card}}, '{"markets":[{"market":"VARCHAR","calling_code":"VARCHAR"}],"rates":[{"market":"VARCHAR","category":"VARCHAR","effective_from":"DATE","price_usd":"DOUBLE"}]}') as c
),

markets as (
    select unnest(c.markets, recursive := true) from card
),

rates as (
    select unnest(c.rates, recursive := true) from card
),

market_rates as (
    select market, category, effective_from, price_usd from rates where market <> '*'
),

default_rates as (
    select category, effective_from, price_usd from rates where market = '*'
),

phone_markets as (
    -- the longest calling code that starts the number (E.164 digits after "+")
    select p.phone, arg_max(m.market, length(m.calling_code)) as market,
    from (select distinct customer_phone_e164 as phone, unnest([1, 2, 3, 4]) as n from outbound) as p
    join markets as m on m.calling_code = substr(p.phone, 2, p.n)
    group by p.phone
),

clicks as (
    select message_id, count(*) as clicks, min(event_at) as first_clicked_at,
    from staging.stg_scrm_events
    where event_type = 'link.clicked' and message_id is not null
        and ({{since_load_id}} = 0 or message_id in (select message_id from outbound))
    group by message_id
),

template_days as (
    -- each customer's first template of the day per number, ranked: beyond the cap is over it
    select phone_number_id, local_date, customer_phone_e164, min(sent_at) as first_sent_at,
    from marts.fct_messages
    where direction = 'outbound' and sender_kind = 'template'
        and ({{since_load_id}} = 0 or (phone_number_id, local_date) in (select (phone_number_id, local_date) from outbound where sender_kind = 'template'))
    group by all
),

recipient_ranks as (
    select *, row_number() over (partition by phone_number_id, local_date order by first_sent_at, customer_phone_e164) as recipient_rank,
    from template_days
),

priced as (
    select
        o.*,
        coalesce(pm.market, '*') as market,
        cast(timezone('UTC', o.delivered_at) as date) as delivered_date_utc,
    from outbound as o
    left join phone_markets as pm on pm.phone = o.customer_phone_e164
),

with_rates as (
    select
        p.*,
        -- DuckDB's asof left join matches a NULL delivery date (to the latest rate, in some
        -- plans only): an undelivered message has no delivery date, so no rate.
        case when p.delivered_date_utc is not null then coalesce(r.price_usd, d.price_usd) end as rate_usd,
    from priced as p
    asof left join market_rates as r on r.market = p.market and r.category = p.pricing_category and p.delivered_date_utc >= r.effective_from
    asof left join default_rates as d on d.category = p.pricing_category and p.delivered_date_utc >= d.effective_from
),

with_window as (
    select
        w.*,
        i.sent_at as last_inbound_at,
    from with_rates as w
    asof left join inbound as i on i.conversation_id = w.conversation_id and w.sent_at > i.sent_at
),

with_reply as (
    select
        w.*,
        j.sent_at as next_inbound_at,
    from with_window as w
    asof left join inbound as j on j.conversation_id = w.conversation_id and w.sent_at < j.sent_at
),

final as (
    select
        w.message_id,
        w.conversation_id,
        w.customer_id,
        w.phone_number_id,
        w.agent_id,
        w.sender_kind,
        w.sent_at,
        w.local_date,
        w.local_hour,
        w.week,
        w.week_start,
        w.template_name,
        w.campaign_id,
        w.has_emoji,
        w.delivered_at,
        w.read_at,
        w.failed_at,
        w.error_code,
        w.pricing_category,
        w.is_billable,
        w.market,
        w.rate_usd,
        -- null only for a charged message the rate card has no price for (is_unpriced)
        case when w.is_billable and w.delivered_at is not null then w.rate_usd else 0 end as cost_usd,
        w.is_billable and w.delivered_at is not null as is_charged,
        w.is_billable and w.delivered_at is not null and w.rate_usd is null as is_unpriced,
        w.last_inbound_at,
        epoch(w.sent_at - w.last_inbound_at) / 3600 as hours_since_customer_message,
        coalesce(epoch(w.sent_at - w.last_inbound_at) <= l.l.window_hours * 3600, false) as is_in_window,
        w.sender_kind = 'template' as is_business_initiated,
        w.sender_kind in ('agent', 'bot') and not coalesce(epoch(w.sent_at - w.last_inbound_at) <= l.l.window_hours * 3600, false) as is_window_violation,
        coalesce(w.error_code = 131047, false) as is_refused_reengagement,
        case when w.sender_kind = 'template' then rr.recipient_rank end as daily_recipient_rank,
        coalesce(nc.cap, l.l.daily_cap_per_number) as daily_cap,
        coalesce(w.sender_kind = 'template' and rr.recipient_rank > coalesce(nc.cap, l.l.daily_cap_per_number), false) as is_over_daily_cap,
        coalesce(c.clicks, 0) as clicks,
        c.first_clicked_at,
        w.next_inbound_at,
        coalesce(w.next_inbound_at <= w.sent_at + interval 72 hour, false) as is_replied_72h,
    from with_reply as w
    cross join limits as l
    left join number_caps as nc on nc.phone_number_id = w.phone_number_id
    left join recipient_ranks as rr on rr.phone_number_id = w.phone_number_id and rr.local_date = w.local_date and rr.customer_phone_e164 = w.customer_phone_e164
    left join clicks as c on c.message_id = w.message_id
)

select * from final
