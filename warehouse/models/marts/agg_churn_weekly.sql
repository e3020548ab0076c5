-- grain: one row per active customer and snapshot (every Monday of the data, and the day after the last message)
-- key: customer_id, as_of_date
-- materialized: incremental
-- merge_scope: replaced
-- Churn scoring as of each snapshot (local dates; the snapshot's own day is not included).
-- The 12 weeks before it are 7-day blocks: baseline = weeks 5-12 back, recent = the last 4.
-- An active customer wrote at least once in those 12 weeks. Interactions are the customer's
-- messages. Weeks before the customer's first message do not count towards a rate.
-- high: the rate fell from >= 3 to <= 1 per week with recent sentiment < 0.3 (DESIGN
-- section 6), or score >= 0.75 for a customer who wrote at least weekly before; medium:
-- score >= 0.4; else low. The score (0..1) weighs
-- the fall of the rate (0.5), negative sentiment (0.3) and the downward trend (0.2, the
-- least-squares slope over the weeks, computed in SQL as simple-statistics' linearRegression would). Outcome: whether
-- the customer wrote again within 30 days (known once 30 days of data follow).
-- Incremental: a snapshot reads the customer's inbound days in the 12 weeks before it, the
-- customer's first message, the next inbound day on or after it and the last day of the data.
-- So a build recomputes (and first deletes, `replaced`) the snapshots that can change: those of
-- a customer with a new or changed inbound message on day d from the day after the customer's
-- previous inbound day before d; every snapshot of a customer whose first message is new, or
-- whose numbers changed customer (a merge), or who has no message any more; and, when the last
-- day moved from L to L', every customer's snapshots whose outcome became known (as_of_date in
-- (L - 29, L' - 29]) and those from the day after L on (the old current one, the new Mondays,
-- the new current one). L is the last inbound day among messages not changed since the last
-- build (at most the true one: a wider window, never a narrower one). A message's local date
-- does not change once loaded (the first delivery wins). A full build (since_load_id 0) has
-- every message new, so it computes every snapshot.
with all_inbound as (
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
    select min(local_date) as first_date, max(local_date) as last_date from all_inbound
),

changed_customers as (
    -- new or changed messages since the last build, and every message of a number whose customer changed
    select
        customer_id,
        min(local_date) as changed_from,
        min(local_date) filter (where direction = 'inbound') as inbound_changed_from,
        bool_or(customer_phone_e164 in (select phone_e164 from staging.int_customer_phone_changes)) as merged,
    from marts.fct_messages
    where customer_id is not null
        and (load_id > {{since_load_id}} or customer_phone_e164 in (select phone_e164 from staging.int_customer_phone_changes))
    group by customer_id
),

previous_inbound as (
    -- each changed customer's last inbound day before its first changed inbound message
    select c.customer_id, max(i.local_date) as local_date,
    from changed_customers as c
    join all_inbound as i on i.customer_id = c.customer_id and i.local_date < c.inbound_changed_from
    group by c.customer_id
),

customer_scope as (
    -- every customer: whether all its snapshots are recomputed, else from which day (NULL: none by itself)
    select
        f.customer_id,
        c.customer_id is not null and (c.merged or c.changed_from <= f.first_date or (c.inbound_changed_from is not null and p.local_date is null)) as recompute_all,
        case
            when c.customer_id is null then null
            when c.merged or c.changed_from <= f.first_date or (c.inbound_changed_from is not null and p.local_date is null) then f.first_date
            when c.inbound_changed_from is not null then p.local_date + 1
        end as recompute_from,
    from first_dates as f
    left join changed_customers as c on c.customer_id = f.customer_id
    left join previous_inbound as p on p.customer_id = f.customer_id
),

last_days as (
    -- the last day at the previous build (L, from messages not changed since: at most the true one) and now (L')
    select
        (select max(local_date) from marts.fct_messages where direction = 'inbound' and customer_id is not null and load_id <= {{since_load_id}}) as previous_last_date,
        (select last_date from bounds) as last_date,
),

recomputed_dates as (
    -- snapshots of every customer that a new last day changes; all of them when there was no previous build
    select
        previous_last_date is null as all_dates,
        previous_last_date - 28 as known_from,
        last_date - 29 as known_to,
        case when last_date > previous_last_date then previous_last_date + 1 end as moved_from,
        last_date + 1 as moved_to,
        -- the first day the recomputed dates need: the outcome window only if a Monday is in it
        least(
            case when previous_last_date - 28 + cast((8 - isodow(previous_last_date - 28)) % 7 as integer) <= last_date - 29 then previous_last_date - 28 end,
            case when last_date > previous_last_date then previous_last_date + 1 end
        ) as earliest,
    from last_days
),

inbound as (
    -- the inbound messages the recomputed snapshots read: a snapshot reads the 12 weeks before it
    select i.*,
    from all_inbound as i
    join customer_scope as s on s.customer_id = i.customer_id, recomputed_dates as r
    where r.all_dates or i.local_date >= least(s.recompute_from, r.earliest) - 84
),

days as (
    -- a sentiment has 4 decimal places (warehouse/text/sentiment.ts): summed as decimals, the sums
    -- are exact and do not depend on the order rows are added in (a merge adds them in another)
    select customer_id, local_date, count(*) as messages, count(sentiment) as rated, sum(cast(sentiment as decimal(18, 4))) as sentiment_sum,
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

all_blocks as (
    -- a Monday's current view is its weekly snapshot (the day after the last message is in
    -- weekly_blocks exactly when it is a Monday: the last day's own week is block 0)
    select * from weekly_blocks
    union all by name
    select * from current_blocks where isodow(as_of_date) <> 1
),

blocks as (
    -- the snapshots this build recomputes (every one in a full build)
    select b.*,
    from all_blocks as b
    join customer_scope as s on s.customer_id = b.customer_id, recomputed_dates as r
    where r.all_dates
        or b.as_of_date >= s.recompute_from
        or b.as_of_date between r.known_from and r.known_to
        or b.as_of_date between r.moved_from and r.moved_to
),

pairs as (
    -- block k of a snapshot is observed when it ends after the customer's first message; a
    -- block with messages always is, so the rates need only the blocks that have rows
    select
        b.customer_id,
        b.as_of_date,
        cast(least(12, greatest(0, ceil((b.as_of_date - any_value(f.first_date)) / 7))) as bigint) as observed_weeks,
        sum(b.messages) filter (where b.block >= 4) as baseline_messages,
        sum(b.messages) filter (where b.block < 4) as recent_block_messages,
        sum(b.sentiment_sum) filter (where b.block < 4) as recent_sentiment_sum,
        sum(b.rated) filter (where b.block < 4) as recent_rated,
        -- no rated message in the last 4 weeks: the mood of the latest week with one
        arg_min(cast(b.sentiment_sum as double) / b.rated, b.block) filter (where b.rated > 0) as latest_week_sentiment,
        -- the trend's sums (whole numbers, so exact): y = messages of block k, at x = observed_weeks
        -- - 1 - k weeks after the oldest observed week; every block with rows is observed (above)
        sum(b.messages) as trend_sum_y,
        sum(b.block * b.messages) as trend_sum_ky,
    from blocks as b
    join first_dates as f on f.customer_id = b.customer_id
    group by b.customer_id, b.as_of_date
),

rates as (
    select
        customer_id,
        as_of_date,
        greatest(observed_weeks - 4, 0) as baseline_weeks,
        least(observed_weeks, 4) as recent_weeks,
        coalesce(baseline_messages, 0) / nullif(greatest(observed_weeks - 4, 0), 0) as baseline_weekly_rate,
        coalesce(recent_block_messages, 0) / nullif(least(observed_weeks, 4), 0) as recent_weekly_rate,
        -- least-squares slope over the observed weeks (0 for a week without messages), n =
        -- observed_weeks: (n * sum xy - sum x * sum y) / (n * sum x^2 - (sum x)^2), with sum x =
        -- n(n-1)/2, sum xy = (n-1) * sum y - sum ky and the divisor n^2(n^2-1)/12, all whole
        -- numbers: the slope of simple-statistics' linearRegression, rounded to 6 places
        case when observed_weeks >= 2 then round(
            cast(observed_weeks * ((observed_weeks - 1) * trend_sum_y - trend_sum_ky) - (observed_weeks * (observed_weeks - 1) // 2) * trend_sum_y as double)
            / cast(observed_weeks * observed_weeks * (observed_weeks * observed_weeks - 1) // 12 as double),
            6
        ) end as trend_per_week,
        cast(recent_sentiment_sum as double) / nullif(recent_rated, 0) as recent_window_sentiment,
        latest_week_sentiment,
        coalesce(recent_block_messages, 0) as recent_messages,
    from pairs
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
    select distinct customer_id, local_date from all_inbound
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
),

replaced as (
    -- existing snapshots that may have changed or gone (read only by an incremental build)
    select t.customer_id, t.as_of_date,
    from marts.agg_churn_weekly as t
    left join customer_scope as s on s.customer_id = t.customer_id, recomputed_dates as r
    where r.all_dates
        or s.customer_id is null
        or s.recompute_all
        or t.as_of_date >= s.recompute_from
        or t.as_of_date between r.known_from and r.known_to
        or t.as_of_date between r.moved_from and r.moved_to
)

select * from final
