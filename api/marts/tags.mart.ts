import { Type } from 'typebox';
import { martQuery } from './mart-query.ts';
import type { MartRoute } from './mart-route.ts';
import { requestedWeeks, WeekRangeQuery } from './week-range.ts';

/**
 * `GET /api/metrics/tags?from_week=&to_week=&tag=`: intent tags (config/tag_rules.json) per
 * week from `marts.agg_tags_weekly`: a week's tags, or one tag's weeks.
 */
export const tagsRoute: MartRoute = {
  url: '/api/metrics/tags',
  summary: 'Intent tags (price, discount, delivery, ...) per week: messages, conversations, share; optionally one tag',
  roles: ['manager', 'scheduler'],
  querystring: Type.Object({ ...WeekRangeQuery, tag: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) }),
  tables: () => ['marts.agg_tags_weekly'],
  async read(ctx) {
    const { from, to } = requestedWeeks(ctx);
    const tag = ctx.query.tag as string | undefined;
    const rows = await martQuery(
      ctx.wh,
      `select * from marts.agg_tags_weekly where week between $1 and $2 ${tag ? 'and tag = $3' : ''} order by week, messages desc, tag`,
      tag ? [from, to, tag] : [from, to],
    );
    return { rows, meta: { from_week: from, to_week: to, tag: tag ?? null } };
  },
};
