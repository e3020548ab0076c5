-- grain: one row per local date, from the day before the first message to the day after the last
-- key: local_date
-- materialized: table
-- Opening hours per local date (config/business_hours.json, in PARLEY_TZ) and the open
-- seconds of every earlier date: the business seconds between two instants are the
-- difference of their open-seconds clocks (fct_responses), so a message at 21:00 answered
-- at 09:05 the next morning is 300 business seconds.
with config as (
    select from_json({{business_hours}}, '{"ranges":[{"weekday":"INTEGER","open_seconds":"INTEGER","close_seconds":"INTEGER"}],"closed_dates":["DATE"]}') as hours
),

bounds as (
    select
        cast(timezone({{tz}}, min(sent_at)) as date) - 1 as first_date,
        cast(timezone({{tz}}, max(sent_at)) as date) + 1 as last_date,
    from staging.stg_messages
),

dates as (
    select cast(unnest(generate_series(cast(first_date as timestamp), cast(last_date as timestamp), interval 1 day)) as date) as local_date
    from bounds
    where first_date is not null
),

days as (
    select
        d.local_date,
        isodow(d.local_date) as local_weekday,
        list_contains(c.hours.closed_dates, d.local_date) as is_closed_date,
        list_transform(
            list_filter(c.hours.ranges, r -> r.weekday = isodow(d.local_date) and not list_contains(c.hours.closed_dates, d.local_date)),
            r -> {'open_seconds': r.open_seconds, 'close_seconds': r.close_seconds}
        ) as open_ranges,
    from dates as d
    cross join config as c
),

final as (
    select
        local_date,
        local_weekday,
        is_closed_date,
        open_ranges,
        coalesce(list_sum(list_transform(open_ranges, r -> r.close_seconds - r.open_seconds)), 0) as open_seconds,
        coalesce(sum(coalesce(list_sum(list_transform(open_ranges, r -> r.close_seconds - r.open_seconds)), 0)) over (
            order by local_date rows between unbounded preceding and 1 preceding
        ), 0) as open_seconds_before,
    from days
)

select * from final
