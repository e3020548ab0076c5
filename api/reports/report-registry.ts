import type { Warehouse } from '../../warehouse/db.ts';

/** The three weekly reports (DESIGN section 7). */
export const REPORT_KINDS = ['service-efficiency', 'sales-funnel', 'cost-efficiency'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** A report rendered for one week: Markdown to forward, a table for spreadsheets, HTML to print. */
export interface RenderedReport {
  readonly markdown: string;
  readonly csv: { readonly columns: readonly string[]; readonly rows: readonly Record<string, unknown>[] };
  readonly html: string;
}

/** Renders a report kind for an ISO week (`2026-W47`) from the marts. */
export type ReportRenderer = (wh: Warehouse, week: string) => Promise<RenderedReport>;

/** Report renderers by kind; a kind without one cannot be archived or served as md/html yet. */
export type ReportRenderers = Readonly<Partial<Record<ReportKind, ReportRenderer>>>;

/**
 * The renderers the server and `parley report` use. Each report's module adds its line
 * here (e.g. `'service-efficiency': renderServiceEfficiency`).
 */
export const REPORT_RENDERERS: ReportRenderers = {};

/** The mart table a report kind reads its JSON and CSV rows from. */
export function reportTable(kind: ReportKind): string {
  return `marts.rpt_${kind.replaceAll('-', '_')}_weekly`;
}
