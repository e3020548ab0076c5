import type { DuckDBConnection } from '@duckdb/node-api';
import type { Config } from '../../config/config.ts';
import { appendRows } from '../appender.ts';
import { queryOn, runOn, type Warehouse } from '../db.ts';
import { WarehouseError } from '../errors.ts';
import { agentsNeeded } from './erlang-c.ts';
import { readStaffingConfig, staffingProblems } from './staffing-config.ts';

/** Overrides of the staffing defaults in `config/staffing.json` (e.g. from the API). */
export interface StaffingOptions {
  readonly targetSeconds?: number;
  readonly targetShare?: number;
  /** Handling time; omitted: measured from the data. */
  readonly ahtSeconds?: number;
  readonly weeks?: number;
}

/** One weekday-hour of the staffing plan (a row of `marts.agg_staffing_hourly`). */
export interface StaffingRow {
  local_weekday: number;
  local_hour: number;
  avg_inbound_messages: number;
  avg_inbound_bursts: number;
  traffic_erlangs: number;
  agents_needed: number;
  expected_service_level: number;
  expected_avg_wait_seconds: number;
  occupancy: number;
  avg_agents_replying: number;
  agents_short: number;
  is_short: boolean;
}

/** A staffing plan: the parameters it used and a row per weekday-hour (168 rows). */
export interface StaffingPlan {
  readonly targetSeconds: number;
  readonly targetShare: number;
  readonly ahtSeconds: number;
  /** measured (from replies in the weeks used), fallback (too few replies) or given. */
  readonly ahtSource: 'measured' | 'fallback' | 'given';
  readonly ahtSamples: number;
  readonly weeksUsed: readonly string[];
  readonly rows: readonly StaffingRow[];
}

/**
 * Works out agents per weekday-hour with Erlang C: arrivals are the bursts (contacts that
 * need a reply) starting in that hour, averaged over the last complete weeks; the handling
 * time is measured as the mean gap between an agent's consecutive replies while working
 * without a pause (gaps up to `aht_max_gap_seconds`), unless given. The hours where fewer
 * agents replied on average than Erlang C needs are marked short.
 */
export async function computeStaffing(conn: DuckDBConnection, config: Pick<Config, 'configDir'>, opts: StaffingOptions = {}): Promise<StaffingPlan> {
  const defaults = readStaffingConfig(config);
  const problems = staffingProblems({ target_seconds: opts.targetSeconds, target_share: opts.targetShare, aht_seconds: opts.ahtSeconds, weeks: opts.weeks });
  if (problems.length > 0) throw new WarehouseError('WH_STAFFING_INVALID', `Staffing parameters: ${problems.join('; ')}.`, { httpStatus: 400, exitCode: 2 });
  const targetSeconds = opts.targetSeconds ?? defaults.target_seconds;
  const targetShare = opts.targetShare ?? defaults.target_share;
  const weeks = opts.weeks ?? defaults.weeks;

  // The complete weeks before the week of the latest message (that week is still running);
  // with a single week of data, that week.
  const weekRows = await queryOn<{ week: string; week_start: string }>(
    conn,
    `with all_weeks as (select distinct week, week_start from marts.agg_hourly_activity_weekly),
     ranked as (select week, week_start, row_number() over (order by week_start desc) as n, count(*) over () as total from all_weeks)
     select week, cast(week_start as varchar) as week_start from ranked
     where (total = 1 or n > 1) and n <= $1 + 1 order by week_start`,
    [weeks],
  );
  const weeksUsed = weekRows.map((w) => w.week).slice(-weeks);
  const weekList = `[${weeksUsed.map((w) => `'${w.replace(/[^0-9W-]/g, '')}'`).join(', ')}]::varchar[]`;

  let ahtSeconds = opts.ahtSeconds ?? defaults.aht_seconds ?? undefined;
  let ahtSource: StaffingPlan['ahtSource'] = ahtSeconds === undefined ? 'measured' : 'given';
  let ahtSamples = 0;
  if (ahtSeconds === undefined) {
    const [measured] = await queryOn<{ aht: number | null; samples: number }>(
      conn,
      `with replies as (
           select agent_id, replied_at from marts.fct_responses
           where is_answered and list_contains(${weekList}, week)
       ),
       gaps as (
           select (epoch_ms(replied_at) - epoch_ms(lag(replied_at) over (partition by agent_id order by replied_at))) / 1000.0 as gap_seconds
           from replies
       )
       select avg(gap_seconds) as aht, count(*) as samples from gaps where gap_seconds > 0 and gap_seconds <= $1`,
      [defaults.aht_max_gap_seconds],
    );
    ahtSamples = measured?.samples ?? 0;
    if (measured?.aht != null && ahtSamples >= defaults.aht_min_samples) {
      ahtSeconds = Math.round(measured.aht);
    } else {
      ahtSeconds = defaults.fallback_aht_seconds;
      ahtSource = 'fallback';
    }
  }

  const cells = await queryOn<{ local_weekday: number; local_hour: number; avg_inbound_messages: number; avg_inbound_bursts: number; avg_agents_replying: number }>(
    conn,
    `with grid as (
         select d.range as local_weekday, h.range as local_hour from range(1, 8) as d cross join range(0, 24) as h
     ),
     window_weeks as (
         select local_weekday, local_hour, inbound_messages, inbound_bursts, agents_replying
         from marts.agg_hourly_activity_weekly where list_contains(${weekList}, week)
     )
     select
         g.local_weekday,
         g.local_hour,
         coalesce(sum(w.inbound_messages), 0) / $1 as avg_inbound_messages,
         coalesce(sum(w.inbound_bursts), 0) / $1 as avg_inbound_bursts,
         coalesce(sum(w.agents_replying), 0) / $1 as avg_agents_replying,
     from grid as g
     left join window_weeks as w on w.local_weekday = g.local_weekday and w.local_hour = g.local_hour
     group by all
     order by g.local_weekday, g.local_hour`,
    [Math.max(1, weeksUsed.length)],
  );

  const aht = ahtSeconds;
  const rows = cells.map((c): StaffingRow => {
    const need = agentsNeeded({ arrivalsPerHour: c.avg_inbound_bursts, ahtSeconds: aht, targetSeconds, targetShare });
    const short = Math.max(0, need.agents - c.avg_agents_replying);
    return {
      local_weekday: c.local_weekday,
      local_hour: c.local_hour,
      avg_inbound_messages: c.avg_inbound_messages,
      avg_inbound_bursts: c.avg_inbound_bursts,
      traffic_erlangs: need.trafficErlangs,
      agents_needed: need.agents,
      expected_service_level: need.serviceLevel,
      expected_avg_wait_seconds: need.averageSpeedOfAnswerSeconds,
      occupancy: need.occupancy,
      avg_agents_replying: c.avg_agents_replying,
      agents_short: short,
      is_short: short > 0,
    };
  });
  return { targetSeconds, targetShare, ahtSeconds: aht, ahtSource, ahtSamples, weeksUsed, rows };
}

/** The staffing plan on a warehouse (what `GET /api/staffing` calls). */
export function staffingPlan(wh: Warehouse, opts: StaffingOptions = {}): Promise<StaffingPlan> {
  return wh.withConnection((conn) => computeStaffing(conn, wh.config, opts));
}

/** Rebuilds `marts.agg_staffing_hourly` with the default parameters (a build step, inside the build's transaction). */
export async function writeStaffingMart(conn: DuckDBConnection, config: Pick<Config, 'configDir'>): Promise<number> {
  const plan = await computeStaffing(conn, config);
  await runOn(
    conn,
    `create or replace table marts.agg_staffing_hourly (
        local_weekday bigint, local_hour bigint,
        weeks_averaged integer, from_week varchar, to_week varchar,
        avg_inbound_messages double, avg_inbound_bursts double,
        aht_seconds double, aht_source varchar, target_seconds double, target_share double,
        traffic_erlangs double, agents_needed integer, expected_service_level double,
        expected_avg_wait_seconds double, occupancy double,
        avg_agents_replying double, agents_short double, is_short boolean,
    )`,
  );
  const first = plan.weeksUsed[0] ?? null;
  const last = plan.weeksUsed.at(-1) ?? null;
  return appendRows(
    conn,
    'marts',
    'agg_staffing_hourly',
    plan.rows.map((r) => [
      r.local_weekday, r.local_hour, plan.weeksUsed.length, first, last, r.avg_inbound_messages, r.avg_inbound_bursts,
      plan.ahtSeconds, plan.ahtSource, plan.targetSeconds, plan.targetShare, r.traffic_erlangs, r.agents_needed, r.expected_service_level,
      r.expected_avg_wait_seconds, r.occupancy, r.avg_agents_replying, r.agents_short, r.is_short,
    ]),
  );
}
