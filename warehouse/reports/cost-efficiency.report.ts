import type { Warehouse } from '../db.ts';
import { formatShare, formatUsd, genericMarkdown } from './format.ts';
import type { Report, ReportData, ReportMetric, ReportTable } from './report.ts';
import { loadWeekRows, weekMetric } from './week-rows.ts';

const SOURCE = 'marts.rpt_cost_efficiency_weekly';
/** Message cost per new paying customer a WhatsApp shop should stay under. */
const CPA_BENCHMARK_USD = 1.2;
/** An hour needs this many delivered templates in the 4 weeks to be ranked for read rate. */
const MIN_DELIVERED_FOR_HOUR = 20;

/** Reads one week of the cost-efficiency mart with templates, emoji, send hours and limits. */
async function load(wh: Warehouse, week: string): Promise<ReportData> {
  const { row, previous } = await loadWeekRows(wh, SOURCE, week, 'cost-efficiency');
  const metrics: ReportMetric[] = [
    weekMetric('messages_sent', 'Messages sent', 'count', row, previous),
    weekMetric('billable_messages', 'Billable messages delivered', 'count', row, previous),
    weekMetric('message_cost_usd', 'Message cost', 'usd', row, previous),
    weekMetric('cost_per_message', 'Cost per message sent', 'usd', row, previous),
    weekMetric('new_customers', 'New paying customers', 'count', row, previous),
    weekMetric('cost_per_acquisition', 'Cost per acquisition', 'usd', row, previous, { value: CPA_BENCHMARK_USD, better: 'lower' }),
    weekMetric('failed_sends', 'Sends that failed', 'count', row, previous),
    weekMetric('refused_reengagement', 'Refused: outside the 24-hour window (131047)', 'count', row, previous),
    weekMetric('window_violations', 'Free-form sends outside the 24-hour window', 'count', row, previous, { value: 0, better: 'lower' }),
    weekMetric('template_sends_outside_window', 'Template sends outside the window (allowed)', 'count', row, previous),
    weekMetric('sends_over_cap', 'Template sends over the daily cap', 'count', row, previous, { value: 0, better: 'lower' }),
  ];
  const categories = [
    { category: 'Marketing', messages: row.billable_marketing, cost_usd: row.marketing_cost_usd },
    { category: 'Utility', messages: row.billable_utility, cost_usd: row.utility_cost_usd },
    { category: 'Authentication', messages: row.billable_authentication, cost_usd: row.authentication_cost_usd },
    { category: 'Other', messages: row.billable_other, cost_usd: Number(row.message_cost_usd) - Number(row.marketing_cost_usd) - Number(row.utility_cost_usd) - Number(row.authentication_cost_usd) },
  ].filter((c) => Number(c.messages) > 0);
  const templates = await wh.query<Record<string, unknown>>(
    `select template_name, campaign_id, sent, delivered, read, clicked, failed, array_to_string(error_codes, ', ') as error_codes, read_rate, click_through_rate, replied_72h, cost_usd
     from marts.agg_templates_weekly where week = $1 order by sent desc, template_name, campaign_id`,
    [week],
  );
  const emoji = await wh.query<Record<string, unknown>>(
    `select sender_kind, case when has_emoji then 'with emoji' else 'without' end as emoji, sent, delivered, read_rate, click_through_rate, reply_rate
     from marts.agg_outbound_emoji_weekly where week = $1 and sender_kind in ('template', 'agent') order by sender_kind desc, has_emoji desc`,
    [week],
  );
  const hours = await wh.query<Record<string, unknown>>(
    `select lpad(cast(local_hour as varchar), 2, '0') || ':00' as hour, sum(delivered) as delivered, sum(read) as read, sum(read) / sum(delivered) as read_rate
     from marts.agg_send_hour_weekly
     where sender_kind = 'template' and week_start between cast($1 as date) - 21 and cast($1 as date)
     group by local_hour having sum(delivered) >= ${MIN_DELIVERED_FOR_HOUR}
     order by read_rate desc, local_hour limit 3`,
    [String(row.week_start)],
  );
  const limitDays = await wh.query<Record<string, unknown>>(
    `select phone_number_id, cast(local_date as varchar) as date, business_initiated_customers, daily_cap, sends_over_cap, window_violations, refused_reengagement
     from marts.agg_messaging_limits_daily where week = $1 and (sends_over_cap > 0 or window_violations > 0 or refused_reengagement > 0)
     order by local_date, phone_number_id`,
    [week],
  );
  const tables: ReportTable[] = [
    { name: 'categories', title: 'Billable messages by category', columns: [{ key: 'category', label: 'Category', unit: 'text' }, { key: 'messages', label: 'Messages', unit: 'count' }, { key: 'cost_usd', label: 'Cost', unit: 'usd' }], rows: categories },
    {
      name: 'templates',
      title: 'Templates and campaigns',
      columns: [
        { key: 'template_name', label: 'Template', unit: 'text' },
        { key: 'campaign_id', label: 'Campaign', unit: 'text' },
        { key: 'sent', label: 'Sent', unit: 'count' },
        { key: 'delivered', label: 'Delivered', unit: 'count' },
        { key: 'read_rate', label: 'Read', unit: 'share' },
        { key: 'click_through_rate', label: 'Clicked', unit: 'share' },
        { key: 'replied_72h', label: 'Replies (72 h)', unit: 'count' },
        { key: 'failed', label: 'Failed', unit: 'count' },
        { key: 'error_codes', label: 'Error codes', unit: 'text' },
        { key: 'cost_usd', label: 'Cost', unit: 'usd' },
      ],
      rows: templates,
    },
    {
      name: 'emoji',
      title: 'Messages with emoji against those without',
      columns: [
        { key: 'sender_kind', label: 'Sent by', unit: 'text' },
        { key: 'emoji', label: 'Emoji', unit: 'text' },
        { key: 'sent', label: 'Sent', unit: 'count' },
        { key: 'read_rate', label: 'Read', unit: 'share' },
        { key: 'click_through_rate', label: 'Clicked', unit: 'share' },
        { key: 'reply_rate', label: 'Replied (72 h)', unit: 'share' },
      ],
      rows: emoji,
    },
    { name: 'send_hours', title: 'Best local send hours for templates (last 4 weeks)', columns: [{ key: 'hour', label: 'Hour', unit: 'text' }, { key: 'delivered', label: 'Delivered', unit: 'count' }, { key: 'read_rate', label: 'Read', unit: 'share' }], rows: hours },
    {
      name: 'limits',
      title: 'Days with sends blocked or at risk',
      columns: [
        { key: 'phone_number_id', label: 'Number', unit: 'text' },
        { key: 'date', label: 'Date', unit: 'text' },
        { key: 'business_initiated_customers', label: 'Customers reached by templates', unit: 'count' },
        { key: 'daily_cap', label: 'Daily cap', unit: 'count' },
        { key: 'sends_over_cap', label: 'Over the cap', unit: 'count' },
        { key: 'window_violations', label: 'Free-form outside window', unit: 'count' },
        { key: 'refused_reengagement', label: 'Refused (131047)', unit: 'count' },
      ],
      rows: limitDays,
    },
  ];
  return {
    kind: 'cost-efficiency',
    title: 'Cost efficiency',
    week,
    week_start: String(row.week_start),
    week_end: String(row.week_end),
    source: SOURCE,
    metrics,
    tables,
    notes: [
      `${row.is_example_rate_card ? '**The rate card still holds the shipped EXAMPLE prices** — edit config/rate_card.json before relying on costs. ' : ''}Cost: each delivered billable message (Meta's per-message pricing) at the config/rate_card.json price for its category and the recipient's market, in effect on the UTC delivery date.${Number(row.unpriced_messages) > 0 ? ` ${String(row.unpriced_messages)} billable messages had no price in the rate card and are not in the cost.` : ''}`,
      `Cost per acquisition: message cost / new paying customers (first paid order this week), benchmark ${formatUsd(CPA_BENCHMARK_USD)}. Cost per message: message cost / messages sent.`,
      'The 24-hour window opens with each customer message; agent and bot messages after it has closed are violations (Meta refuses them with 131047), templates may be sent any time. The daily cap (config/messaging_limits.json) limits how many customers a number reaches with templates per local day.',
      'Read rate = read / delivered; click-through = clicked (SCRM link.clicked) / delivered; replies = customer messages within 72 hours of the send.',
      `Figures come from \`${SOURCE}\`, \`marts.fct_outbound_messages\` and the template, emoji, send-hour and limit aggregates; docs/metrics.md has each definition and its SQL.`,
    ],
  };
}

/** The opening paragraph: cost against the benchmark, and what WhatsApp's rules blocked. */
function summary(data: ReportData): string {
  const m = Object.fromEntries(data.metrics.map((x) => [x.key, x])) as Record<string, ReportMetric>;
  const cpa = m.cost_per_acquisition!;
  const hour = data.tables.find((t) => t.name === 'send_hours')?.rows[0];
  const parts = [
    `${m.messages_sent!.value ?? 0} messages were sent; ${m.billable_messages!.value ?? 0} were billable, costing **${formatUsd(m.message_cost_usd!.value)}** (${formatUsd(m.cost_per_message!.value)} per message sent).`,
    cpa.value === null
      ? `No new customer paid a first order, so there is no cost per acquisition (benchmark ${formatUsd(CPA_BENCHMARK_USD)}).`
      : `${m.new_customers!.value} new customers paid: **${formatUsd(cpa.value)} per acquisition**, ${cpa.meets_target ? 'within' : 'over'} the ${formatUsd(CPA_BENCHMARK_USD)} benchmark.`,
    m.window_violations!.value
      ? `**${m.window_violations!.value} agent or bot messages went out after the 24-hour window had closed** (${m.refused_reengagement!.value ?? 0} refused by Meta): follow up with a template instead.`
      : 'No free-form message was sent outside the 24-hour window.',
    m.sends_over_cap!.value ? `**${m.sends_over_cap!.value} template sends exceeded the daily cap.**` : '',
    hour ? `Templates were read most when sent at ${String(hour.hour)} (${formatShare(Number(hour.read_rate))} read, last 4 weeks).` : '',
  ];
  return parts.filter(Boolean).join(' ');
}

/** `parley report cost-efficiency`. */
export const costEfficiencyReport: Report = {
  kind: 'cost-efficiency',
  title: 'Cost efficiency',
  load,
  markdown: (data) => genericMarkdown(data, summary(data)),
};
