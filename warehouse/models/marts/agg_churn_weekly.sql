-- grain: one row per active customer and snapshot (every Monday of the data, and the day after the last message)
-- key: customer_id, as_of_date
-- materialized: table
-- Churn scoring as of each snapshot (local dates; the snapshot's own day is not included).
-- The 12 weeks before it are 7-day blocks: baseline = weeks 5-12 back, recent = the last 4.
-- An active customer wrote at least once in those 12 weeks. Interactions are the customer's
-- messages. Weeks before the customer's first message do not count towards a rate.
-- high: the rate fell from >= 3 to <= 1 per week with recent sentiment < 0.3 (DESIGN
-- section 6), or score >= 0.75 for a customer who wrote at least weekly before; medium:
-- score >= 0.4; else low. The score (0..1) weighs
-- the fall of the rate (0.5), negative sentiment (0.3) and the downward trend (0.2, the
-- least-squares slope over the weeks, parley_trend = simple-statistics). Outcome: whether
-- the customer wrote again within 30 days (known once 30 days of data follow).
with inbound as (
    select customer_id, local_date, sentiment,
    from marts.fct_messages
    where direction = 'inbound' and customer_id is not null
),

first_dates as (
    select customer_id, min(local_date) as first_date,
    from marts.fct_messages
    where customer_id is not null
    group by customer_id
),

bounds as (
    select min(local_date) as first_date, max(local_date) as last_date from inbound
),

days as (
    select customer_id, local_date, count(*) as messages, count(sentiment) as rated, sum(sentiment) as sentiment_sum,
    from inbound
    group by customer_id, local_date
),

weeks as (
    select customer_id, local_date - cast(isodow(local_date) - 1 as integer) as week_start, sum(messages) as messages, sum(rated) as rated, sum(sentiment_sum) as sentiment_sum,
    from days
    group by all
),

weekly_blocks as (
    -- a week counts for the 12 Mondays after it: block k is k weeks before the snapshot
    select customer_id, week_start + 7 * (k + 1) as as_of_date, k as block, messages, rated, sentiment_sum,
    from weeks, (select cast(unnest(range(12)) as integer) as k)
    where week_start + 7 * (k + 1) <= (select last_date + 1 from bounds)
),

current_blocks as (
    -- the current view: 7-day blocks back from the day after the last message
    select d.customer_id, b.last_date + 1 as as_of_date, cast((b.last_date - d.local_date) // 7 as bigint) as block, sum(d.messages) as messages, sum(d.rated) as rated, sum(d.sentiment_sum) as sentiment_sum,
    from days as d, bounds as b
    where d.local_date > b.last_date - 84
    group by all
),

blocks as (
    select * from weekly_blocks
    union all by name
    select * from current_blocks where as_of_date not in (select as_of_date from weekly_blocks)
),

pairs as (
    select distinct b.customer_id, b.as_of_date, f.first_date,
    from blocks as b
    join first_dates as f on f.customer_id = b.customer_id
),

grid as (
    -- every pair has all 12 blocks; blocks before the customer's first message are not observed
    select p.customer_id, p.as_of_date, k as block, p.as_of_date - 7 * k > p.first_date as is_observed,
    from pairs as p, (select cast(unnest(range(12)) as integer) as k)
),

filled as (
    select g.customer_id, g.as_of_date, g.block, g.is_observed, coalesce(b.messages, 0) as messages, coalesce(b.rated, 0) as rated, coalesce(b.sentiment_sum, 0) as sentiment_sum,
    from grid as g
    left join blocks as b on b.customer_id = g.customer_id and b.as_of_date = g.as_of_date and b.block = g.block
),

rates as (
    select
        customer_id,
        as_of_date,
        count(*) filter (where is_observed and block >= 4) as baseline_weeks,
        count(*) filter (where is_observed and block < 4) as recent_weeks,
        sum(messages) filter (where is_observed and block >= 4) / nullif(count(*) filter (where is_observed and block >= 4), 0) as baseline_weekly_rate,
        sum(messages) filter (where is_observed and block < 4) / nullif(count(*) filter (where is_observed and block < 4), 0) as recent_weekly_rate,
        parley_trend(list(cast(messages as double) order by block desc) filter (where is_observed)) as trend_per_week,
        sum(sentiment_sum) filter (where block < 4) / nullif(sum(rated) filter (where block < 4), 0) as recent_window_sentiment,
        -- no rated message in the last 4 weeks: the mood of the latest week with one
        arg_min(sentiment_sum / rated, block) filter (where rated > 0) as latest_week_sentiment,
        sum(messages) filter (where block < 4) as recent_messages,
    from filled
    group by customer_id, as_of_date
),

scored as (
    select
        *,
        coalesce(recent_window_sentiment, latest_week_sentiment) as recent_sentiment,
        case when baseline_weekly_rate > 0 then greatest(0, least(1, (baseline_weekly_rate - recent_weekly_rate) / baseline_weekly_rate)) else 0 end as rate_drop,
        greatest(0, least(1, -coalesce(trend_per_week, 0) * 11 / greatest(coalesce(baseline_weekly_rate, 0), 1))) as trend_decline,
    from rates
),

banded as (
    select
        *,
        greatest(0, least(1, (0.5 - coalesce(recent_sentiment, 0.5)) / 0.5)) as negativity,
        coalesce(baseline_weekly_rate >= 3 and recent_weekly_rate <= 1 and recent_sentiment < 0.3, false) as meets_churn_rule,
    from scored
),

with_score as (
    select *, round(0.5 * rate_drop + 0.3 * negativity + 0.2 * trend_decline, 4) as score,
    from banded
),

next_messages as (
    select distinct customer_id, local_date from inbound
),

outcomes as (
    select s.customer_id, s.as_of_date, n.local_date as next_message_date,
    from with_score as s
    asof left join next_messages as n on n.customer_id = s.customer_id and s.as_of_date <= n.local_date
),

final as (
    select
        s.customer_id,
        s.as_of_date,
        strftime(s.as_of_date - 1, '%G-W%V') as week,
        s.as_of_date = (select last_date + 1 from bounds) as is_current,
        s.baseline_weeks,
        s.recent_weeks,
        s.baseline_weekly_rate,
        s.recent_weekly_rate,
        s.trend_per_week,
        s.recent_sentiment,
        s.rate_drop,
        s.negativity,
        s.trend_decline,
        s.score,
        s.meets_churn_rule,
        case when s.meets_churn_rule or (s.score >= 0.75 and s.baseline_weekly_rate >= 1) then 'high' when s.score >= 0.4 then 'medium' else 'low' end as risk,
        o.next_message_date,
        (select last_date from bounds) >= s.as_of_date + 29 as is_outcome_known,
        case when (select last_date from bounds) >= s.as_of_date + 29 then o.next_message_date is null or o.next_message_date >= s.as_of_date + 30 end as went_silent_30d,
        case when o.next_message_date < s.as_of_date + 30 then true when (select last_date from bounds) >= s.as_of_date + 29 then false end as came_back_within_30d,
    from with_score as s
    join outcomes as o on o.customer_id = s.customer_id and o.as_of_date = s.as_of_date
)

select * from final
