import { Type } from 'typebox';
import { martQuery } from './mart-query.ts';
import type { MartRoute } from './mart-route.ts';

/**
 * `GET /api/staffing`: recommended agents per weekday-hour (Erlang C), from
 * `marts.agg_staffing_hourly` (built with the defaults of config/staffing.json).
 * `target_seconds` and `aht_seconds` are accepted and echoed; recomputing the plan for other
 * values belongs to the staffing model (service models issue).
 */
export const staffingRoute: MartRoute = {
  url: '/api/staffing',
  summary: 'Recommended agents per local weekday and hour (Erlang C) against the answer-time target',
  roles: ['scheduler'],
  querystring: Type.Object({
    target_seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
    aht_seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
  }),
  tables: () => ['marts.agg_staffing_hourly'],
  async read(ctx) {
    const rows = await martQuery(ctx.wh, 'select * from marts.agg_staffing_hourly order by all');
    return { rows, meta: { target_seconds: ctx.query.target_seconds ?? null, aht_seconds: ctx.query.aht_seconds ?? null } };
  },
};
