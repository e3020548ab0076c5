import { openWarehouse } from '../../warehouse/db.ts';
import { lastCompleteWeek, parseIsoWeek } from '../../warehouse/reports/iso-week.ts';
import { getReport, REPORTS } from '../../warehouse/reports/registry.ts';
import { METRIC_CSV_COLUMNS, type ReportData } from '../../warehouse/reports/report.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../errors.ts';
import { formatCsv } from '../format-table.ts';
import { viaServer } from '../server-client.ts';

/** `parley report <kind>`: one weekly report as Markdown, JSON or CSV (through `parley serve` while it runs). */
export const reportCommand: Command = {
  name: 'report',
  summary: 'one weekly report (default: the last complete week) as Markdown, JSON or CSV',
  usage: `parley report <${REPORTS.map((r) => r.kind).join('|')}> [--week 2026-W47] [--format md|json|csv]`,
  options: { week: { type: 'string' }, format: { type: 'string' } },
  async run({ positionals, values }, ctx) {
    if (positionals.length !== 1) throw new UsageError(`report takes one report name: ${REPORTS.map((r) => r.kind).join(', ')}.`);
    const kind = positionals[0]!;
    if (!REPORTS.some((r) => r.kind === kind)) throw new UsageError(`unknown report "${kind}". Reports: ${REPORTS.map((r) => r.kind).join(', ')}.`);
    const format = (values.format as string | undefined) ?? 'md';
    if (!['md', 'json', 'csv'].includes(format)) throw new UsageError(`--format must be md, json or csv (got "${format}").`);
    const week = (values.week as string | undefined) ?? lastCompleteWeek(new Date(), ctx.config.tz);
    if (!parseIsoWeek(week)) throw new UsageError(`--week must be an ISO week like 2026-W47 (got "${week}").`);
    const report = getReport(kind);
    // Through the running server when there is one: the same data, rendered here the same way.
    const data = await viaServer<ReportData>(
      ctx.config,
      (server) => server.request<ReportData>('GET', `/api/reports/${encodeURIComponent(kind)}/data?week=${encodeURIComponent(week)}`),
      async () => report.load(await openWarehouse(ctx.config), week),
    );
    if (format === 'json') ctx.out.write(`${JSON.stringify(data, null, 2)}\n`);
    else if (format === 'csv') ctx.out.write(`${formatCsv(METRIC_CSV_COLUMNS, data.metrics as unknown as Record<string, unknown>[])}\n`);
    else ctx.out.write(report.markdown(data));
    return 0;
  },
};
