import { martQuery } from './mart-query.ts';
import { Type } from 'typebox';
import type { MartRoute } from './mart-route.ts';
import { requestedWeeks, WeekRangeQuery } from './week-range.ts';

/** `GET /api/metrics/heatmap`: messages by local weekday x hour, from `marts.agg_hourly_activity_weekly`. */
export const heatmapRoute: MartRoute = {
  url: '/api/metrics/heatmap',
  summary: 'Inbound and outbound messages by local weekday (1 = Monday) and hour, per week',
  roles: ['manager', 'scheduler'],
  querystring: Type.Object(WeekRangeQuery),
  tables: () => ['marts.agg_hourly_activity_weekly'],
  async read(ctx) {
    const { from, to } = requestedWeeks(ctx);
    const rows = await martQuery(ctx.wh, 'select * from marts.agg_hourly_activity_weekly where week between $1 and $2 order by week, local_weekday, local_hour', [from, to]);
    return { rows, meta: { from_week: from, to_week: to } };
  },
};
