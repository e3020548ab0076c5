import { readBusinessHours } from '../business-hours.ts';
import type { Warehouse } from '../db.ts';
import { WarehouseError } from '../errors.ts';
import { formatChange, formatDuration, formatShare, genericMarkdown } from './format.ts';
import { parseIsoWeek } from './iso-week.ts';
import type { Report, ReportData, ReportMetric, ReportTable } from './report.ts';

type Row = Record<string, number | string | null | string[]>;

const SOURCE = 'marts.rpt_service_efficiency_weekly';

/** Rounds away float noise (0.1 + 0.2) so JSON and CSV show what was measured. */
function tidy(x: number | null): number | null {
  return x === null ? null : Math.round(x * 10_000) / 10_000;
}

/** A metric from this week's and last week's report rows. */
function metric(key: string, label: string, unit: ReportMetric['unit'], row: Row, previous: Row | undefined, target: { value: number; better: 'lower' | 'higher' } | null = null): ReportMetric {
  const value = (row[key] as number | null) ?? null;
  const prev = previous ? ((previous[key] as number | null) ?? null) : null;
  return {
    key,
    label,
    unit,
    value: tidy(value),
    target: target?.value ?? null,
    better: target?.better ?? null,
    previous: tidy(prev),
    change: value !== null && prev !== null ? tidy(value - prev) : null,
    meets_target: target && value !== null ? (target.better === 'lower' ? value <= target.value : value >= target.value) : null,
  };
}

/** Reads one week of the service-efficiency mart (and the week before, for the changes). */
async function load(wh: Warehouse, week: string): Promise<ReportData> {
  const parsed = parseIsoWeek(week);
  if (!parsed) throw new WarehouseError('WH_REPORT_NO_DATA', `"${week}" is not an ISO week; write it like 2026-W47.`, { httpStatus: 400, exitCode: 2 });
  const built = await wh.query(`select 1 from duckdb_tables() where schema_name = 'marts' and table_name = 'rpt_service_efficiency_weekly'`);
  if (built.length === 0) throw new WarehouseError('WH_REPORT_NO_DATA', 'The service marts have not been built yet; run `parley build` first.', { httpStatus: 404 });
  const rows = await wh.query<Row>(`select * replace (cast(week_start as varchar) as week_start, cast(week_end as varchar) as week_end) from ${SOURCE} where week_start in (cast($1 as date), cast($1 as date) - 7) order by week_start`, [parsed.start]);
  const row = rows.find((r) => r.week === week);
  if (!row) {
    const [range] = await wh.query<{ first: string | null; last: string | null }>(`select min(week) as first, max(week) as last from ${SOURCE}`);
    const covered = range?.first ? ` (the data covers ${range.first} to ${range.last})` : ' (there is no data yet)';
    throw new WarehouseError('WH_REPORT_NO_DATA', `No service data for week ${week}${covered}.`, { httpStatus: 404 });
  }
  const previous = rows.find((r) => r.week !== week);
  const responseTarget = { value: Number(row.response_target_seconds), better: 'lower' as const };
  const metrics: ReportMetric[] = [
    metric('conversations', 'Conversations with customer messages', 'count', row, previous),
    metric('inbound_messages', 'Customer messages', 'count', row, previous),
    metric('median_response_seconds', 'Median response (wall clock)', 'seconds', row, previous, responseTarget),
    metric('avg_response_seconds', 'Average response (wall clock)', 'seconds', row, previous, responseTarget),
    metric('median_business_response_seconds', 'Median response (business hours)', 'seconds', row, previous, responseTarget),
    metric('avg_business_response_seconds', 'Average response (business hours)', 'seconds', row, previous, responseTarget),
    metric('median_first_response_seconds', 'Median first response of a session (wall clock)', 'seconds', row, previous, responseTarget),
    metric('share_within_target', 'Bursts answered within 3 minutes (wall clock)', 'share', row, previous),
    metric('unanswered_bursts', 'Unanswered bursts', 'count', row, previous),
    metric('resolution_rate', 'Resolution rate', 'share', row, previous, { value: Number(row.resolution_target), better: 'higher' }),
    metric('agents_needing_training', 'Agents needing training', 'count', row, previous),
  ];
  const agents = await wh.query<Record<string, unknown>>(
    `select coalesce(d.name, a.agent_id) as agent, d.team, a.responses, a.unanswered, a.median_response_seconds, a.avg_response_seconds,
            a.avg_business_response_seconds, a.share_within_target, a.needs_training
     from marts.agg_agent_response_weekly as a
     left join marts.dim_agents as d on d.agent_id = a.agent_id
     where a.week = $1
     order by a.needs_training desc, a.avg_response_seconds desc nulls last, agent`,
    [week],
  );
  const agentTable: ReportTable = {
    name: 'agents',
    title: 'Agents',
    columns: [
      { key: 'agent', label: 'Agent', unit: 'text' },
      { key: 'team', label: 'Team', unit: 'text' },
      { key: 'responses', label: 'Replies', unit: 'count' },
      { key: 'unanswered', label: 'Unanswered', unit: 'count' },
      { key: 'median_response_seconds', label: 'Median', unit: 'seconds' },
      { key: 'avg_response_seconds', label: 'Average', unit: 'seconds' },
      { key: 'avg_business_response_seconds', label: 'Average (business hours)', unit: 'seconds' },
      { key: 'share_within_target', label: 'Within 3 min', unit: 'share' },
      { key: 'needs_training', label: 'Needs training', unit: 'boolean' },
    ],
    rows: agents,
  };
  const hours = readBusinessHours(wh.config);
  return {
    kind: 'service-efficiency',
    title: 'Service efficiency',
    week,
    week_start: String(row.week_start),
    week_end: String(row.week_end),
    source: SOURCE,
    metrics,
    tables: [agentTable],
    notes: [
      'A burst is the customer messages of a conversation after the last agent reply; its response time runs from its first message to the first agent reply. Bot and template messages are not replies; reactions do not open a burst.',
      'Unanswered bursts have no response time: they are counted on their own line, never as zero, and count as not answered within 3 minutes.',
      `Wall clock counts every second; business hours count only opening hours (config/business_hours.json, ${hours.ranges.length} opening ranges a week, ${wh.config.tz}). The headline uses the wall-clock median; the business-hours figures show how much of the wait fell outside opening hours.`,
      'Resolution rate: conversations whose last resolve-or-reopen event of the week is a resolve, over the conversations with customer messages that week (benchmark 85%).',
      'Needs training: the agent\'s average wall-clock response of the week is over 6 minutes. A burst belongs to the week of its first message and to the agent who replied; unanswered bursts count for the agent the conversation was assigned to.',
      `Row counts and times come from \`${SOURCE}\` and \`marts.agg_agent_response_weekly\`; docs/metrics.md has each definition and its SQL.`,
    ],
  };
}

/** The opening paragraph: the week in three sentences, numbers against targets. */
function summary(data: ReportData): string {
  const m = Object.fromEntries(data.metrics.map((x) => [x.key, x])) as Record<string, ReportMetric>;
  const median = m.median_response_seconds!;
  const resolution = m.resolution_rate!;
  const training = m.agents_needing_training!;
  const names = (data.tables[0]?.rows ?? []).filter((r) => r.needs_training).map((r) => String(r.agent));
  const vsLast = (x: ReportMetric) => (x.previous === null ? '' : ` (last week ${x.unit === 'share' ? formatShare(x.previous) : formatDuration(x.previous)}, ${formatChange(x.change, x.unit)})`);
  const parts = [
    `Customers wrote in **${m.conversations!.value ?? 0} conversations** with ${m.inbound_messages!.value ?? 0} messages${m.conversations!.previous !== null ? ` (${formatChange(m.conversations!.change, 'count')} on last week)` : ''}.`,
    median.value === null
      ? 'No burst was answered this week.'
      : `Half of the customer bursts got an agent reply within **${formatDuration(median.value)}** (median, wall clock), ${median.meets_target ? 'inside' : 'over'} the 3-minute target${vsLast(median)}; ${formatShare(m.share_within_target!.value)} were answered within 3 minutes and **${m.unanswered_bursts!.value} went unanswered**.`,
    m.avg_response_seconds!.value !== null && median.value !== null && m.avg_response_seconds!.value > 3 * median.value
      ? `The average (${formatDuration(m.avg_response_seconds!.value)}) is pulled up by bursts answered hours or days later, many of them outside opening hours (business-hours average ${formatDuration(m.avg_business_response_seconds!.value)}); the median is the better picture of a typical wait.`
      : '',
    resolution.value === null
      ? ''
      : `**${formatShare(resolution.value)} of conversations were resolved**, ${resolution.meets_target ? 'meeting' : 'below'} the 85% benchmark${vsLast(resolution)}.`,
    training.value
      ? `${training.value} agent${training.value === 1 ? ' needs' : 's need'} training (weekly average reply over 6 minutes): ${names.join(', ')}.`
      : 'No agent averaged over 6 minutes.',
  ];
  return parts.filter(Boolean).join(' ');
}

/** `parley report service-efficiency`. */
export const serviceEfficiencyReport: Report = {
  kind: 'service-efficiency',
  title: 'Service efficiency',
  load,
  markdown: (data) => genericMarkdown(data, summary(data)),
};
