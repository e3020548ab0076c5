import { Type } from 'typebox';
import { martQuery } from './mart-query.ts';
import type { MartRoute } from './mart-route.ts';
import { requestedWeeks, WeekRangeQuery } from './week-range.ts';

/** `GET /api/metrics/response-times`: per agent and week, from `marts.agg_agent_response_weekly`. */
export const responseTimesRoute: MartRoute = {
  url: '/api/metrics/response-times',
  summary: 'Response times per agent and week (median, p90, average, needs_training)',
  roles: ['manager', 'scheduler'],
  querystring: Type.Object({ ...WeekRangeQuery, agent_id: Type.Optional(Type.String({ maxLength: 200 })) }),
  tables: () => ['marts.agg_agent_response_weekly'],
  async read(ctx) {
    const { from, to } = requestedWeeks(ctx);
    const agent = ctx.query.agent_id as string | undefined;
    const rows = await martQuery(
      ctx.wh,
      `select * from marts.agg_agent_response_weekly where week between $1 and $2 ${agent ? 'and agent_id = $3' : ''} order by week, agent_id`,
      agent ? [from, to, agent] : [from, to],
    );
    return { rows, meta: { from_week: from, to_week: to } };
  },
};
