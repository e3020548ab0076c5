import { formatCurrency, formatDuration, formatNumber, formatPercent, formatPoints, formatSigned, isNum } from './format.ts';
import type { TextKey } from './i18n.ts';
import type { ReportKind, Row } from './types.ts';

/** How a report figure reads: its formatter and how a change of it reads. */
export interface Measure {
  readonly format: (v: unknown) => string;
  readonly formatChange: (v: number) => string;
}

export const DURATION: Measure = { format: (v) => formatDuration(v), formatChange: (v) => `${v > 0 ? '+' : v < 0 ? '-' : ''}${formatDuration(Math.abs(v))}` };
export const PERCENT: Measure = { format: (v) => formatPercent(v), formatChange: (v) => formatPoints(v) };
export const COUNT: Measure = { format: (v) => formatNumber(v, 0), formatChange: (v) => formatSigned(v, 0) };
export const DAYS: Measure = { format: (v) => formatNumber(v, 1), formatChange: (v) => formatSigned(v, 1) };
export const USD: Measure = { format: (v) => formatCurrency(v), formatChange: (v) => `${v > 0 ? '+' : v < 0 ? '-' : ''}${formatCurrency(Math.abs(v))}` };

/** One headline figure of a report: the first column present of `columns`, its target and direction. */
export interface Headline {
  readonly id: string;
  readonly label: TextKey;
  /** Column names to try in order (the first present in the row wins). */
  readonly columns: readonly string[];
  readonly measure: Measure;
  readonly higherIsBetter: boolean;
  readonly target?: number;
  /** Shown in the trend chart of the report. */
  readonly trend?: boolean;
}

/** The headline figures of each weekly report, with the targets managers hold them to. */
export const REPORT_HEADLINES: Record<ReportKind, readonly Headline[]> = {
  'service-efficiency': [
    { id: 'median', label: 'overview.medianResponse', columns: ['median_response_seconds'], measure: DURATION, higherIsBetter: false, target: 180, trend: true },
    { id: 'under3', label: 'overview.under3', columns: ['share_within_target'], measure: PERCENT, higherIsBetter: true, trend: true },
    { id: 'resolution', label: 'overview.resolution', columns: ['resolution_rate'], measure: PERCENT, higherIsBetter: true, target: 0.85, trend: true },
    { id: 'conversations', label: 'reports.conversations', columns: ['conversations'], measure: COUNT, higherIsBetter: true },
    { id: 'unanswered', label: 'reports.unansweredBursts', columns: ['unanswered_bursts'], measure: COUNT, higherIsBetter: false },
    { id: 'training', label: 'reports.agentsTraining', columns: ['agents_needing_training'], measure: COUNT, higherIsBetter: false },
    { id: 'business', label: 'reports.businessHours', columns: ['median_business_response_seconds'], measure: DURATION, higherIsBetter: false },
  ],
  'sales-funnel': [
    { id: 'conversion', label: 'overview.conversion', columns: ['conversion_rate'], measure: PERCENT, higherIsBetter: true, target: 0.12, trend: true },
    { id: 'days', label: 'reports.daysToOrder', columns: ['median_days_to_order', 'avg_days_to_order'], measure: DAYS, higherIsBetter: false, trend: true },
    { id: 'orders', label: 'reports.orders', columns: ['orders'], measure: COUNT, higherIsBetter: true },
    { id: 'cod', label: 'reports.codConversion', columns: ['cod_payment_rate'], measure: PERCENT, higherIsBetter: true },
    { id: 'card', label: 'reports.cardConversion', columns: ['card_payment_rate'], measure: PERCENT, higherIsBetter: true },
    { id: 'discount', label: 'keywords.discount', columns: ['discount_conversation_share'], measure: PERCENT, higherIsBetter: true },
    { id: 'highRisk', label: 'overview.highRisk', columns: ['high_risk_customers'], measure: COUNT, higherIsBetter: false },
  ],
  'cost-efficiency': [
    { id: 'cpa', label: 'overview.cpa', columns: ['cost_per_acquisition', 'cost_per_acquisition_usd'], measure: USD, higherIsBetter: false, target: 1.2, trend: true },
    { id: 'cost', label: 'reports.messageCost', columns: ['message_cost_usd'], measure: USD, higherIsBetter: false, trend: true },
    { id: 'cpm', label: 'reports.costPerMessage', columns: ['cost_per_message', 'cost_per_message_usd'], measure: USD, higherIsBetter: false },
    { id: 'sent', label: 'reports.messagesSent', columns: ['messages_sent'], measure: COUNT, higherIsBetter: true },
    { id: 'billable', label: 'reports.billable', columns: ['billable_messages'], measure: COUNT, higherIsBetter: false },
    { id: 'new', label: 'reports.newCustomers', columns: ['new_customers'], measure: COUNT, higherIsBetter: true },
  ],
};

/** The column of a headline present in a row (or in any row of a list), if any. */
export function headlineColumn(h: Headline, rows: readonly Row[]): string | undefined {
  return h.columns.find((c) => rows.some((r) => c in r));
}

/** A headline's value in a row, as a number or null. */
export function headlineValue(h: Headline, row: Row | undefined): number | null {
  if (!row) return null;
  const col = h.columns.find((c) => c in row);
  const v = col ? row[col] : null;
  return isNum(v) ? v : null;
}
