import type { Warehouse } from '../db.ts';

/** How a metric's value reads: a count, seconds, a share between 0 and 1, US dollars, or days. */
export type MetricUnit = 'count' | 'seconds' | 'share' | 'usd' | 'days';

/** One line of a weekly report: this week, its target, last week and the change. */
export interface ReportMetric {
  readonly key: string;
  readonly label: string;
  readonly unit: MetricUnit;
  readonly value: number | null;
  readonly target: number | null;
  /** Whether lower values are better (response times) or higher (resolution rate). */
  readonly better: 'lower' | 'higher' | null;
  readonly previous: number | null;
  readonly change: number | null;
  /** null when the metric has no target or no value. */
  readonly meets_target: boolean | null;
}

/** A table inside a report (e.g. per agent). */
export interface ReportTable {
  readonly name: string;
  readonly title: string;
  readonly columns: readonly { readonly key: string; readonly label: string; readonly unit?: MetricUnit | 'text' | 'boolean' }[];
  readonly rows: readonly Record<string, unknown>[];
}

/** What every weekly report returns: JSON as is, CSV from `metrics`, Markdown from `Report.markdown`. */
export interface ReportData {
  readonly kind: string;
  readonly title: string;
  readonly week: string;
  readonly week_start: string;
  readonly week_end: string;
  /** The report's own mart, e.g. `marts.rpt_service_efficiency_weekly`. */
  readonly source: string;
  readonly metrics: readonly ReportMetric[];
  readonly tables: readonly ReportTable[];
  /** How the numbers are measured, in sentences. */
  readonly notes: readonly string[];
}

/**
 * A weekly report: one file per report under `warehouse/reports/`, listed in `REPORTS`
 * (registry.ts). `load` reads the week from the marts; `markdown` writes what a manager
 * forwards.
 */
export interface Report {
  readonly kind: string;
  readonly title: string;
  load(wh: Warehouse, week: string): Promise<ReportData>;
  markdown(data: ReportData): string;
}

/** Columns of a report as CSV (one row per metric). */
export const METRIC_CSV_COLUMNS = ['key', 'label', 'unit', 'value', 'target', 'previous', 'change', 'meets_target'] as const;
