import { Type } from 'typebox';
import { addDays } from '../../pipelines/demo/local-time.ts';
import { isoWeekOf, lastCompleteWeek, weekMonday } from '../../warehouse/reports/iso-week.ts';
import { REPORT_KINDS, reportTable, reportTablesFor, type ReportKind } from '../reports/report-registry.ts';
import { Week } from '../schemas.ts';
import { martQuery } from './mart-query.ts';
import type { MartRoute } from './mart-route.ts';
import { requestedWeeks, WeekRangeQuery } from './week-range.ts';

/**
 * `GET /api/reports/:kind/weeks?weeks=12&to_week=`: one report's rows over a range of weeks
 * (the dashboard's trend charts and its week picker), with every week the report has.
 */
export const reportWeeksRoute: MartRoute = {
  url: '/api/reports/:kind/weeks',
  summary: 'One weekly report over a range of ISO weeks (default: the 12 weeks up to the last complete one), with the weeks that exist',
  roles: ['manager'],
  params: Type.Object({ kind: Type.String({ maxLength: 64, description: REPORT_KINDS.join(', ') }) }),
  querystring: Type.Object({ ...WeekRangeQuery, weeks: Type.Optional(Type.Integer({ minimum: 1, maximum: 520, default: 12, description: 'how many weeks up to to_week when from_week is not given' })) }),
  meta: { kind: Type.String(), from_week: Week, to_week: Week, available_weeks: Type.Array(Week), last_complete_week: Week },
  tables: reportTablesFor,
  async read(ctx) {
    const kind = ctx.params.kind as ReportKind;
    const table = reportTable(kind);
    const weeks = Number(ctx.query.weeks ?? 12);
    const { to } = requestedWeeks({ ...ctx, query: { to_week: ctx.query.to_week } });
    const from = (ctx.query.from_week as string | undefined) ?? isoWeekOf(addDays(weekMonday(to), -7 * (weeks - 1)));
    requestedWeeks({ ...ctx, query: { from_week: from, to_week: to } });
    const [rows, available] = await Promise.all([
      martQuery(ctx.wh, `select * from ${table} where week between $1 and $2 order by week`, [from, to]),
      martQuery(ctx.wh, `select week from ${table} order by week`),
    ]);
    return {
      rows,
      meta: { kind, from_week: from, to_week: to, available_weeks: available.map((r) => String(r.week)), last_complete_week: lastCompleteWeek(ctx.clock.now(), ctx.config.tz) },
    };
  },
};
