import { WarehouseError } from '../errors.ts';
import type { Report } from './report.ts';
import { costEfficiencyReport } from './cost-efficiency.report.ts';
import { salesFunnelReport } from './sales-funnel.report.ts';
import { serviceEfficiencyReport } from './service-efficiency.report.ts';

/** Every weekly report: one file each under `warehouse/reports/`; add a new one here. */
export const REPORTS: readonly Report[] = [serviceEfficiencyReport, salesFunnelReport, costEfficiencyReport];

/** The report called `kind`, or an error listing the known ones. */
export function getReport(kind: string): Report {
  const report = REPORTS.find((r) => r.kind === kind);
  if (!report) throw new WarehouseError('WH_REPORT_UNKNOWN', `Unknown report "${kind}". Reports: ${REPORTS.map((r) => r.kind).join(', ')}.`, { httpStatus: 404, exitCode: 2 });
  return report;
}
