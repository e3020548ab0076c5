import { Type } from 'typebox';
import { martQuery } from './mart-query.ts';
import type { MartRoute } from './mart-route.ts';
import { requestedWeek, WeekQuery } from './week-range.ts';

/** `GET /api/metrics/keywords?week=&limit=`: the week's top keywords from `marts.agg_keywords_weekly`. */
export const keywordsRoute: MartRoute = {
  url: '/api/metrics/keywords',
  summary: 'Top keywords and tags of a week (messages, conversations, share)',
  roles: ['manager', 'scheduler'],
  querystring: Type.Object({ ...WeekQuery, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })) }),
  tables: () => ['marts.agg_keywords_weekly'],
  async read(ctx) {
    const week = requestedWeek(ctx);
    const rows = await martQuery(ctx.wh, 'select * from marts.agg_keywords_weekly where week = $1 order by messages desc, keyword limit $2', [week, Number(ctx.query.limit ?? 50)]);
    return { rows, meta: { week } };
  },
};
