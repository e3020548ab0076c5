import { Type } from 'typebox';
import { ApiError } from '../errors.ts';
import { REPORT_KINDS, reportTable, reportTablesFor, type ReportKind } from '../reports/report-registry.ts';
import { Week } from '../schemas.ts';
import { martQuery } from './mart-query.ts';
import type { MartContext, MartRoute } from './mart-route.ts';
import { requestedWeek, WeekQuery } from './week-range.ts';

async function rendered(ctx: MartContext) {
  const kind = ctx.params.kind as ReportKind;
  const render = ctx.reports[kind];
  if (!render) throw new ApiError('API_REPORT_NOT_AVAILABLE', `The ${kind} report has no Markdown/HTML renderer yet; ask for JSON or ?format=csv.`);
  return render(ctx.wh, requestedWeek(ctx));
}

/** `GET /api/reports/:kind?week=`: one weekly report from its `rpt_` mart; md and html from its renderer. */
export const reportRoute: MartRoute = {
  url: '/api/reports/:kind',
  summary: 'One weekly report (service-efficiency, sales-funnel, cost-efficiency) for an ISO week: JSON, ?format=csv, md or html',
  roles: ['manager'],
  params: Type.Object({ kind: Type.String({ maxLength: 64, description: REPORT_KINDS.join(', ') }) }),
  querystring: Type.Object(WeekQuery),
  meta: { kind: Type.String(), week: Week },
  tables: reportTablesFor,
  async read(ctx) {
    const kind = ctx.params.kind as ReportKind;
    const week = requestedWeek(ctx);
    const table = reportTable(kind);
    const rows = await martQuery(ctx.wh, `select * from ${table} where week = $1`, [week]);
    if (rows.length === 0) {
      const [range] = await martQuery(ctx.wh, `select min(week) as first_week, max(week) as last_week from ${table}`);
      throw new ApiError('API_NOT_FOUND', `No ${kind} report for ${week}${range?.first_week ? ` (weeks ${range.first_week} to ${range.last_week} exist)` : ' (the report has no weeks yet)'}.`);
    }
    return { rows, meta: { kind, week } };
  },
  formats: {
    md: async (ctx) => ({ contentType: 'text/markdown; charset=utf-8', body: (await rendered(ctx)).markdown }),
    html: async (ctx) => ({ contentType: 'text/html; charset=utf-8', body: (await rendered(ctx)).html }),
  },
};
