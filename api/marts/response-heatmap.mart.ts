import { Type } from 'typebox';
import { martQuery } from './mart-query.ts';
import type { MartRoute } from './mart-route.ts';
import { requestedWeeks, WeekRangeQuery } from './week-range.ts';

/**
 * `GET /api/metrics/response-heatmap`: exact median response per local weekday x hour of
 * the bursts' first message, over a week range, from `marts.fct_responses`.
 */
export const responseHeatmapRoute: MartRoute = {
  url: '/api/metrics/response-heatmap',
  summary: 'Median response time and answered/unanswered bursts by local weekday (1 = Monday) and hour, over a week range',
  roles: ['manager', 'scheduler'],
  querystring: Type.Object(WeekRangeQuery),
  tables: () => ['marts.fct_responses'],
  async read(ctx) {
    const { from, to } = requestedWeeks(ctx);
    const rows = await martQuery(
      ctx.wh,
      `select
           local_weekday,
           local_hour,
           count(*) filter (where is_answered) as responses,
           count(*) filter (where not is_answered) as unanswered,
           median(response_seconds) as median_response_seconds,
       from marts.fct_responses
       where week between $1 and $2
       group by all
       order by local_weekday, local_hour`,
      [from, to],
    );
    return { rows, meta: { from_week: from, to_week: to } };
  },
};
