/**
 * The four peer questions as plain SQL over staging tables, written once with the few
 * expressions that differ between DuckDB and PostgreSQL filled in per dialect. `s` is the
 * schema holding the staging tables (`staging` in DuckDB, `s` in PostgreSQL). Local dates and
 * hours of messages come from `stg_messages.sent_at_local` (sent_at in PARLEY_TZ, converted
 * once when staging is built; PostgreSQL gets the same column).
 */
export interface Dialect {
  readonly s: string;
  /** A timestamptz as wall-clock time (timestamp) in the local time zone. */
  local(ts: string): string;
  /** ISO week 'YYYY-Www' of a local timestamp or date. */
  week(local: string): string;
  /** ISO weekday (1 = Monday) of a local timestamp or date. */
  weekday(local: string): string;
  hour(local: string): string;
  date(local: string): string;
  /** Seconds between two timestamptz values. */
  seconds(later: string, earlier: string): string;
  median(x: string): string;
  intdiv(a: string, b: string): string;
  /** A table `k(k)` with the integers 0..11. */
  readonly blocks: string;
  /** A CTE body selecting message_id of the messages tagged `quote`. */
  readonly quoteMessages: string;
  /** How message ids sort as the marts sort them (byte order). */
  byteOrder(col: string): string;
}

/** DuckDB over the warehouse's staging schema. */
export function duckdbDialect(tz: string): Dialect {
  return {
    s: 'staging',
    local: (ts) => `timezone('${tz}', ${ts})`,
    week: (t) => `strftime(${t}, '%G-W%V')`,
    weekday: (t) => `isodow(${t})`,
    hour: (t) => `hour(${t})`,
    date: (t) => `cast(${t} as date)`,
    seconds: (a, b) => `(epoch_ms(${a}) - epoch_ms(${b})) / 1000.0`,
    median: (x) => `median(${x})`,
    intdiv: (a, b) => `(${a}) // ${b}`,
    blocks: '(select cast(range as integer) as k from range(12)) as k',
    quoteMessages: `select message_id from staging.int_message_text where list_contains(tags, 'quote')`,
    byteOrder: (c) => c,
  };
}

/** PostgreSQL over the tables loaded by COPY into schema `s`. */
export function postgresDialect(tz: string): Dialect {
  return {
    s: 's',
    local: (ts) => `(${ts} at time zone '${tz}')`,
    week: (t) => `to_char(${t}, 'IYYY-"W"IW')`,
    weekday: (t) => `extract(isodow from ${t})::int`,
    hour: (t) => `extract(hour from ${t})::int`,
    date: (t) => `(${t})::date`,
    seconds: (a, b) => `extract(epoch from ${a} - ${b})`,
    median: (x) => `percentile_cont(0.5) within group (order by ${x})`,
    intdiv: (a, b) => `(${a}) / ${b}`,
    blocks: '(select generate_series(0, 11) as k) as k',
    quoteMessages: `select message_id from s.message_tags where tag = 'quote'`,
    byteOrder: (c) => `${c} collate "C"`,
  };
}

/** The question names, in order. */
export const QUESTIONS = ['weekly median response per agent', 'weekday x hour heatmap', 'funnel conversion by cohort', 'churn inputs'] as const;
export type Question = (typeof QUESTIONS)[number];

/** The SQL of each question in a dialect. */
export function peerSql(d: Dialect): Record<Question, string> {
  const s = d.s;
  return {
    // fct_responses + agg_agent_response_weekly: a burst is the customer's messages after the
    // last agent reply; its response is the next agent message; the week is the burst's first
    // message's. Numbering each message by the agent messages before it puts a burst and the
    // reply that ends it under one number: each number has at most one agent message.
    'weekly median response per agent': `
with messages as (
    select message_id, conversation_id, direction, sender_kind, agent_id, sent_at
    from ${s}.stg_messages
    where (direction = 'inbound' and message_type is distinct from 'reaction') or sender_kind = 'agent'
),
numbered as (
    select
        *,
        count(*) filter (where sender_kind = 'agent') over (
            partition by conversation_id
            order by sent_at, direction = 'outbound', ${d.byteOrder('message_id')}
            rows between unbounded preceding and 1 preceding
        ) as burst_no
    from messages
),
bursts as (
    select
        min(sent_at) filter (where direction = 'inbound') as inbound_at,
        min(sent_at) filter (where sender_kind = 'agent') as replied_at,
        min(agent_id) filter (where sender_kind = 'agent') as agent_id
    from numbered
    group by conversation_id, burst_no
),
final as (
    select
        agent_id,
        ${d.week(d.local('inbound_at'))} as week,
        count(*) as responses,
        ${d.median(d.seconds('replied_at', 'inbound_at'))} as median_response_seconds
    from bursts
    where inbound_at is not null and replied_at is not null
    group by 1, 2
)
select * from final`,

    // agg_hourly_activity_weekly: messages by local week, weekday and hour (counted by local
    // date and hour first: the week and weekday are labels of the date).
    'weekday x hour heatmap': `
with hourly as (
    select
        ${d.date('sent_at_local')} as local_date,
        ${d.hour('sent_at_local')} as local_hour,
        count(*) filter (where direction = 'inbound') as inbound_messages,
        count(*) filter (where direction = 'outbound') as outbound_messages
    from ${s}.stg_messages
    group by 1, 2
)
select
    ${d.week('local_date')} as week,
    ${d.weekday('local_date')} as local_weekday,
    local_hour,
    inbound_messages,
    outbound_messages
from hourly`,

    // fct_funnel + agg_funnel_weekly: each customer's stages, counted by first-contact week.
    'funnel conversion by cohort': `
with messages as (
    select p.customer_id, m.message_id, m.direction, m.sender_kind, m.sent_at
    from ${s}.stg_messages as m
    join ${s}.int_customer_phones as p on p.phone_e164 = m.customer_phone_e164
),
quote_messages as (
    ${d.quoteMessages}
),
deal_stages as (
    select
        p.customer_id,
        d.deal_id,
        d.payment_method,
        d.created_at,
        min(st.valid_from) filter (where st.stage = 'quoted') as quoted_at,
        coalesce(min(st.valid_from) filter (where st.stage = 'ordered'), min(st.valid_from) filter (where st.stage = 'paid')) as ordered_at,
        min(st.valid_from) filter (where st.stage = 'paid') as paid_at
    from ${s}.stg_crm_deals as d
    join ${s}.int_customer_phones as p on p.phone_e164 = d.phone_e164
    left join ${s}.stg_crm_deal_stages as st on st.vendor = d.vendor and st.deal_id = d.deal_id
    group by p.customer_id, d.deal_id, d.payment_method, d.created_at
),
customer_deals as (
    select
        customer_id,
        min(least(created_at, quoted_at, ordered_at, paid_at)) as first_deal_at,
        min(quoted_at) as deal_quoted_at,
        min(ordered_at) as ordered_at,
        min(paid_at) as paid_at
    from deal_stages
    group by customer_id
),
message_firsts as (
    select
        m.customer_id,
        min(m.sent_at) as first_message_at,
        min(m.sent_at) filter (where m.direction = 'inbound') as first_inbound_at,
        min(m.sent_at) filter (where m.sender_kind in ('agent', 'template')) as first_business_at,
        min(m.sent_at) filter (where q.message_id is not null) as quote_tag_at
    from messages as m
    left join quote_messages as q on q.message_id = m.message_id
    group by m.customer_id
),
exchanges as (
    select
        m.customer_id,
        min(m.sent_at) filter (where m.sender_kind = 'agent' and m.sent_at > f.first_inbound_at) as agent_reply_at,
        min(m.sent_at) filter (where m.direction = 'inbound' and m.sent_at > f.first_business_at) as customer_reply_at
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
        least(f.first_message_at, d.first_deal_at) as first_contact_at,
        least(e.agent_reply_at, e.customer_reply_at) as exchange_at,
        least(f.quote_tag_at, d.deal_quoted_at) as quote_at,
        coalesce(d.ordered_at, d.paid_at) as ordered_at,
        d.paid_at
    from customers as c
    left join message_firsts as f on f.customer_id = c.customer_id
    left join exchanges as e on e.customer_id = c.customer_id
    left join customer_deals as d on d.customer_id = c.customer_id
),
final as (
    select
        ${d.week(d.local('first_contact_at'))} as week,
        count(*) as first_contact,
        count(*) filter (where coalesce(exchange_at, quote_at, ordered_at) is not null) as engaged,
        count(*) filter (where coalesce(quote_at, ordered_at) is not null) as quoted,
        count(*) filter (where ordered_at is not null) as ordered,
        count(*) filter (where paid_at is not null) as paid
    from stages
    group by 1
)
select * from final`,

    // agg_churn_weekly at the current snapshot: weekly rates over the 12 weeks (7-day blocks)
    // before the day after the last customer message; baseline = blocks 4-11, recent = 0-3;
    // blocks before the customer's first message are not observed.
    'churn inputs': `
with customer_messages as (
    select p.customer_id, m.direction, ${d.date('m.sent_at_local')} as local_date
    from ${s}.stg_messages as m
    join ${s}.int_customer_phones as p on p.phone_e164 = m.customer_phone_e164
),
first_dates as (
    select customer_id, min(local_date) as first_date
    from customer_messages
    group by customer_id
),
inbound as (
    select customer_id, local_date from customer_messages where direction = 'inbound'
),
bounds as (
    select max(local_date) as last_date from inbound
),
blocks as (
    select i.customer_id, ${d.intdiv('b.last_date - i.local_date', '7')} as block, count(*) as messages
    from inbound as i
    cross join bounds as b
    where i.local_date > b.last_date - 84
    group by 1, 2
),
grid as (
    select a.customer_id, k.k as block, (b.last_date + 1 - 7 * k.k) > f.first_date as is_observed
    from (select distinct customer_id from blocks) as a
    join first_dates as f on f.customer_id = a.customer_id
    cross join bounds as b
    cross join ${d.blocks}
),
final as (
    select
        g.customer_id,
        count(*) filter (where g.is_observed and g.block >= 4) as baseline_weeks,
        count(*) filter (where g.is_observed and g.block < 4) as recent_weeks,
        sum(coalesce(bl.messages, 0)) filter (where g.is_observed and g.block >= 4) * 1.0 / nullif(count(*) filter (where g.is_observed and g.block >= 4), 0) as baseline_weekly_rate,
        sum(coalesce(bl.messages, 0)) filter (where g.is_observed and g.block < 4) * 1.0 / nullif(count(*) filter (where g.is_observed and g.block < 4), 0) as recent_weekly_rate
    from grid as g
    left join blocks as bl on bl.customer_id = g.customer_id and bl.block = g.block
    group by g.customer_id
)
select * from final`,
  };
}
