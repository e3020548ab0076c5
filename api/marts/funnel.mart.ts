import { Type } from 'typebox';
import { martQuery } from './mart-query.ts';
import type { MartRoute } from './mart-route.ts';
import { requestedWeeks, WeekRangeQuery } from './week-range.ts';

/** `GET /api/metrics/funnel`: stage conversion per first-contact week, from `marts.agg_funnel_weekly`. */
export const funnelRoute: MartRoute = {
  url: '/api/metrics/funnel',
  summary: 'Funnel stages per week: entered, advanced, conversion rate',
  roles: ['manager', 'scheduler'],
  querystring: Type.Object(WeekRangeQuery),
  tables: () => ['marts.agg_funnel_weekly'],
  async read(ctx) {
    const { from, to } = requestedWeeks(ctx);
    const rows = await martQuery(ctx.wh, 'select * from marts.agg_funnel_weekly where week between $1 and $2 order by all', [from, to]);
    return { rows, meta: { from_week: from, to_week: to } };
  },
};
