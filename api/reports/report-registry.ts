import type { Warehouse } from '../../warehouse/db.ts';
import { ApiError } from '../errors.ts';
import { reportHtml } from '../../warehouse/reports/html.ts';
import { getReport } from '../../warehouse/reports/registry.ts';
import { METRIC_CSV_COLUMNS } from '../../warehouse/reports/report.ts';

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

/** A renderer from a report of `warehouse/reports/`: its Markdown, its metrics as CSV rows, HTML to print. */
function fromWarehouseReport(kind: ReportKind): ReportRenderer {
  return async (wh, week) => {
    const report = getReport(kind);
    const data = await report.load(wh, week);
    return {
      markdown: report.markdown(data),
      csv: { columns: METRIC_CSV_COLUMNS, rows: data.metrics.map((m) => ({ ...m })) },
      html: reportHtml(data),
    };
  };
}

/** The renderers the server and the weekly archive job use: one per report of `warehouse/reports/registry.ts`. */
export const REPORT_RENDERERS: ReportRenderers = Object.fromEntries(REPORT_KINDS.map((kind) => [kind, fromWarehouseReport(kind)]));

/** The mart table a report kind reads its JSON and CSV rows from. */
export function reportTable(kind: ReportKind): string {
  return `marts.rpt_${kind.replaceAll('-', '_')}_weekly`;
}

/** The `rpt_` tables a report route reads: every report's without a kind, else the kind's (404 for an unknown kind). */
export function reportTablesFor(params: Readonly<Record<string, string | undefined>>): string[] {
  if (params.kind === undefined) return REPORT_KINDS.map(reportTable);
  if (!REPORT_KINDS.includes(params.kind as ReportKind)) throw new ApiError('API_NOT_FOUND', `No report "${params.kind}"; reports: ${REPORT_KINDS.join(', ')}.`);
  return [reportTable(params.kind as ReportKind)];
}
