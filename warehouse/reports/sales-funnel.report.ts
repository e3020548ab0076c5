import { readChurn } from '../customer/churn-config.ts';
import type { Warehouse } from '../db.ts';
import { formatDays, formatShare, genericMarkdown } from './format.ts';
import type { Report, ReportData, ReportMetric, ReportTable } from './report.ts';
import { loadWeekRows, num, weekMetric } from './week-rows.ts';

const SOURCE = 'marts.rpt_sales_funnel_weekly';
/** Share of first contacts that order: the bar a healthy WhatsApp sales funnel clears. */
const HEALTHY_CONVERSION = 0.12;

/** Reads one week of the sales-funnel mart, its cohort, payment methods, churn flags and backtest. */
async function load(wh: Warehouse, week: string): Promise<ReportData> {
  const { row, previous } = await loadWeekRows(wh, SOURCE, week, 'sales-funnel');
  const metrics: ReportMetric[] = [
    weekMetric('new_contacts', 'New customers in first contact', 'count', row, previous),
    weekMetric('engaged_rate', 'Engaged (two-way exchange) of first contacts', 'share', row, previous),
    weekMetric('quote_rate', 'Quoted of engaged', 'share', row, previous),
    weekMetric('order_rate', 'Ordered of quoted', 'share', row, previous),
    weekMetric('conversion_rate', 'Conversion: first contact -> order (cohort)', 'share', row, previous, { value: HEALTHY_CONVERSION, better: 'higher' }),
    weekMetric('orders', 'First orders placed this week', 'count', row, previous),
    weekMetric('median_days_to_order', 'Median days first contact -> order', 'days', row, previous),
    weekMetric('median_days_to_order_early_media', '… with a product video/media in the first 24 h', 'days', row, previous),
    weekMetric('median_days_to_order_no_early_media', '… without', 'days', row, previous),
    weekMetric('cod_payment_rate', 'Cash-on-delivery orders paid', 'share', row, previous),
    weekMetric('card_payment_rate', 'Card orders paid', 'share', row, previous),
    weekMetric('high_risk_customers', 'Customers at high churn risk', 'count', row, previous),
    weekMetric('discount_conversation_share', 'Conversations asking about discounts', 'share', row, previous, row.is_promotion_week ? { value: Number(row.min_discount_share), better: 'higher' } : null),
  ];

  const stages = await wh.query<Record<string, unknown>>(
    `select case stage when 'first_contact' then 'First contact' when 'engaged' then 'Engaged' when 'quoted' then 'Quoted' when 'ordered' then 'Ordered' else 'Paid' end as stage, entered, advanced, conversion_rate, cohort_share from marts.agg_funnel_weekly where week = $1 order by stage_order`,
    [week],
  );
  const payments = [
    { method: 'Cash on delivery', orders: row.cod_orders, paid: row.cod_paid, rate: row.cod_payment_rate },
    { method: 'Card', orders: row.card_orders, paid: row.card_paid, rate: row.card_payment_rate },
  ];
  const media = [
    { group: 'Video or media within 24 h of first contact', orders: row.orders_with_early_media, median_days: row.median_days_to_order_early_media },
    { group: 'No early media', orders: Number(row.orders) - Number(row.orders_with_early_media), median_days: row.median_days_to_order_no_early_media },
  ];
  const backtest = await wh.query<Record<string, unknown>>(
    `select week, flagged_high, flagged_and_silent, went_silent, precision, recall, recovery_rate
     from marts.agg_churn_backtest_weekly where week <= $1 order by week desc limit 8`,
    [week],
  );
  const actions = readChurn(wh.config).actions;
  const atRisk = (
    await wh.query<Record<string, unknown>>(
      `select customer_id, baseline_weekly_rate, recent_weekly_rate, recent_sentiment, score
       from marts.agg_churn_weekly where week = $1 and isodow(as_of_date) = 1 and risk = 'high'
       order by score desc, customer_id limit 15`,
      [week],
    )
  ).map((r) => ({ ...r, baseline_weekly_rate: fixed(r.baseline_weekly_rate), recent_weekly_rate: fixed(r.recent_weekly_rate), recent_sentiment: r.recent_sentiment === null ? '–' : Number(r.recent_sentiment).toFixed(2), action: actions.high }));
  const keywords = await wh.query<Record<string, unknown>>(`select keyword, messages, share from marts.agg_keywords_weekly where week = $1 and rank <= 10 order by rank`, [week]);
  const tags = await wh.query<Record<string, unknown>>(`select tag, messages, conversation_share from marts.agg_tags_weekly where week = $1 order by conversations desc, tag`, [week]);

  const tables: ReportTable[] = [
    {
      name: 'cohort',
      title: `Funnel of the customers first in contact this week`,
      columns: [
        { key: 'stage', label: 'Stage', unit: 'text' },
        { key: 'entered', label: 'Reached', unit: 'count' },
        { key: 'advanced', label: 'Went on', unit: 'count' },
        { key: 'conversion_rate', label: 'Conversion', unit: 'share' },
        { key: 'cohort_share', label: 'Of first contacts', unit: 'share' },
      ],
      rows: stages,
    },
    {
      name: 'payment_methods',
      title: 'Payment: first orders of the week paid by now',
      columns: [
        { key: 'method', label: 'Method', unit: 'text' },
        { key: 'orders', label: 'Orders', unit: 'count' },
        { key: 'paid', label: 'Paid', unit: 'count' },
        { key: 'rate', label: 'Paid share', unit: 'share' },
      ],
      rows: payments,
    },
    {
      name: 'early_media',
      title: 'Time to order with and without an early product video',
      columns: [
        { key: 'group', label: 'First 24 hours', unit: 'text' },
        { key: 'orders', label: 'Orders', unit: 'count' },
        { key: 'median_days', label: 'Median days to order', unit: 'days' },
      ],
      rows: media,
    },
    {
      name: 'churn_risk',
      title: 'High churn risk at the end of the week',
      columns: [
        { key: 'customer_id', label: 'Customer', unit: 'text' },
        { key: 'baseline_weekly_rate', label: 'Messages/week before (weeks 5-12)', unit: 'text' },
        { key: 'recent_weekly_rate', label: 'Messages/week now (last 4)', unit: 'text' },
        { key: 'recent_sentiment', label: 'Recent sentiment (0-1)', unit: 'text' },
        { key: 'action', label: 'Recommended action', unit: 'text' },
      ],
      rows: atRisk,
    },
    {
      name: 'churn_backtest',
      title: 'How well the churn flag predicted silence (30 days later)',
      columns: [
        { key: 'week', label: 'Flagged in week', unit: 'text' },
        { key: 'flagged_high', label: 'Flagged high', unit: 'count' },
        { key: 'flagged_and_silent', label: 'Then silent 30 days', unit: 'count' },
        { key: 'went_silent', label: 'All who went silent', unit: 'count' },
        { key: 'precision', label: 'Precision', unit: 'share' },
        { key: 'recall', label: 'Recall', unit: 'share' },
        { key: 'recovery_rate', label: 'Came back', unit: 'share' },
      ],
      rows: backtest,
    },
    {
      name: 'keywords',
      title: 'What customers wrote about',
      columns: [
        { key: 'keyword', label: 'Keyword', unit: 'text' },
        { key: 'messages', label: 'Messages', unit: 'count' },
        { key: 'share', label: 'Of customer messages', unit: 'share' },
      ],
      rows: keywords,
    },
    {
      name: 'tags',
      title: 'Intents',
      columns: [
        { key: 'tag', label: 'Tag', unit: 'text' },
        { key: 'messages', label: 'Messages', unit: 'count' },
        { key: 'conversation_share', label: 'Of conversations', unit: 'share' },
      ],
      rows: tags,
    },
  ];

  return {
    kind: 'sales-funnel',
    title: 'Sales funnel',
    week,
    week_start: String(row.week_start),
    week_end: String(row.week_end),
    source: SOURCE,
    metrics,
    tables,
    notes: [
      'Stages: first contact (first message either way, or first CRM deal) -> engaged (an agent answered the customer, or the customer answered the business; bots do not count) -> quoted (a message tagged quote, or a CRM deal in the quoted stage) -> ordered (a deal ordered, or paid without an ordered step) -> paid. A later stage implies the earlier ones.',
      `Conversion is cohort-based: of the customers whose first contact fell in this week, the share who have ordered by now (healthy: ${formatShare(HEALTHY_CONVERSION)}). Recent cohorts are still maturing (this cohort has had ${num(row, 'cohort_days_observed') ?? 0} days).`,
      'Orders, days to order, payment methods and early media describe the first orders of customers placed this week; "paid" is as of the latest data.',
      'Churn: high risk when a customer\'s messages per week fell from at least 3 (weeks 5-12 back) to at most 1 (last 4 weeks) and their recent sentiment is below 0.3, or the score (rate fall, negative sentiment, downward trend) is at least 0.75 for a customer who wrote at least weekly before. Backtest: precision = flagged customers who then wrote nothing for 30 days / flagged; recall = flagged among all active customers who went silent; "came back" = flagged customers who wrote again within 30 days.',
      `Keywords and intents are from customer messages (Intl.Segmenter words without stop words; tags from config/tag_rules.json). ${row.is_promotion_week ? `This is a promotion week (${(row.promotion_names as string[]).join(', ')}): a discount share under ${formatShare(Number(row.min_discount_share))} is flagged.` : 'No promotion ran this week (config/promotions.json).'}`,
      `Row counts and times come from \`${SOURCE}\`, \`marts.fct_funnel\`, \`marts.agg_funnel_weekly\`, \`marts.agg_churn_weekly\` and \`marts.agg_churn_backtest_weekly\`; docs/metrics.md has each definition and its SQL.`,
    ],
  };
}

/** A rate with one decimal (messages per week). */
function fixed(v: unknown): string {
  return v === null || v === undefined ? '–' : Number(v).toFixed(1);
}

/** The opening paragraph a manager forwards: conversion against the bar, orders, payment, churn, promotion. */
function summary(data: ReportData): string {
  const m = Object.fromEntries(data.metrics.map((x) => [x.key, x])) as Record<string, ReportMetric>;
  const conv = m.conversion_rate!;
  const promo = m.discount_conversation_share!;
  const backtest = data.tables.find((t) => t.name === 'churn_backtest')?.rows.find((r) => r.precision !== null);
  const parts = [
    `**${m.new_contacts!.value ?? 0} new customers** made first contact; ${conv.value === null ? 'none has a conversion yet' : `**${formatShare(conv.value)} have ordered so far**, ${conv.meets_target ? 'above' : 'below'} the ${formatShare(HEALTHY_CONVERSION)} healthy bar`}.`,
    m.orders!.value
      ? `${m.orders!.value} first orders were placed, a median of ${formatDays(m.median_days_to_order!.value)} after first contact${m.median_days_to_order_early_media!.value !== null && m.median_days_to_order_no_early_media!.value !== null ? ` (${formatDays(m.median_days_to_order_early_media!.value)} with a product video in the first 24 hours, ${formatDays(m.median_days_to_order_no_early_media!.value)} without)` : ''}.`
      : 'No first order was placed this week.',
    m.cod_payment_rate!.value !== null || m.card_payment_rate!.value !== null
      ? `Paid so far: ${formatShare(m.card_payment_rate!.value)} of card orders and ${formatShare(m.cod_payment_rate!.value)} of cash-on-delivery orders.`
      : '',
    `${m.high_risk_customers!.value ?? 0} customers are at high churn risk (recommended: a recovery offer)${backtest ? `; of those flagged in ${String(backtest.week)}, ${formatShare(Number(backtest.precision))} then went silent for 30 days` : ''}.`,
    promo.target !== null
      ? promo.meets_target
        ? `Promotion week: ${formatShare(promo.value)} of conversations asked about discounts.`
        : `**Promotion week flag: only ${formatShare(promo.value)} of conversations asked about discounts (under ${formatShare(promo.target)})** — check that the offer reaches customers.`
      : '',
  ];
  return parts.filter(Boolean).join(' ');
}

/** `parley report sales-funnel`. */
export const salesFunnelReport: Report = {
  kind: 'sales-funnel',
  title: 'Sales funnel',
  load,
  markdown: (data) => genericMarkdown(data, summary(data)),
};
