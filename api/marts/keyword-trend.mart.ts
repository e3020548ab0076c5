import { Type } from 'typebox';
import { martQuery } from './mart-query.ts';
import type { MartRoute } from './mart-route.ts';
import { requestedWeeks, WeekRangeQuery } from './week-range.ts';

/** `GET /api/metrics/keywords/trend?keyword=`: one keyword's (or tag's) weeks from `marts.agg_keywords_weekly`. */
export const keywordTrendRoute: MartRoute = {
  url: '/api/metrics/keywords/trend',
  summary: 'One keyword or tag over a week range: messages, conversations, share per week',
  roles: ['manager', 'scheduler'],
  querystring: Type.Object({ keyword: Type.String({ minLength: 1, maxLength: 200 }), ...WeekRangeQuery }),
  tables: () => ['marts.agg_keywords_weekly'],
  async read(ctx) {
    const { from, to } = requestedWeeks(ctx);
    const keyword = String(ctx.query.keyword);
    const rows = await martQuery(ctx.wh, 'select * from marts.agg_keywords_weekly where keyword = $1 and week between $2 and $3 order by week', [keyword, from, to]);
    return { rows, meta: { keyword, from_week: from, to_week: to } };
  },
};
